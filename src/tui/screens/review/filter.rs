//! Which lines the review shows and which one is highlighted: the rule filter and the search,
//! kept as the indices they let through, and moving among those.

use super::ReviewScreen;
use intake::rules::Rule;

impl ReviewScreen {
    /// Rules with the number of lines still failing on each, most common first.
    pub fn groups(&self) -> Vec<(Rule, usize)> {
        let mut counts: std::collections::BTreeMap<Rule, usize> = Default::default();
        for line in self.work.lines.iter().filter(|l| l.failing()) {
            let mut rules: Vec<Rule> = line.issues.iter().map(|i| i.rule).collect();
            rules.dedup();
            for rule in rules {
                *counts.entry(rule).or_default() += 1;
            }
        }
        let mut groups: Vec<(Rule, usize)> = counts.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        groups
    }

    /// Indices of the lines the rule filter and the search let through.
    pub fn visible(&self) -> &[usize] {
        &self.shown
    }

    pub(super) fn refilter(&mut self) {
        let search = self.search.to_lowercase();
        self.shown = self
            .work
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| match self.group {
                None => true,
                Some(rule) => l.issues.iter().any(|i| i.rule == rule),
            })
            .filter(|(_, l)| {
                search.is_empty()
                    || l.cells.iter().any(|c| c.to_lowercase().contains(&search))
                    || l.issues
                        .iter()
                        .any(|i| i.message.to_lowercase().contains(&search))
            })
            .map(|(i, _)| i)
            .collect();
        self.selected = 0;
    }

    pub(super) fn current(&self) -> Option<usize> {
        self.visible().get(self.selected).copied()
    }

    pub(super) fn first_failing_cell(&self) -> usize {
        self.current()
            .and_then(|i| {
                self.work.lines[i]
                    .issues
                    .iter()
                    .find_map(|issue| issue.column)
            })
            .unwrap_or(0)
    }

    pub(super) fn select(&mut self, selected: usize) {
        self.selected = selected;
        self.cell = self.first_failing_cell();
    }

    /// The next (or previous) visible line that still fails, wrapping around.
    pub(super) fn jump(&mut self, forward: bool) {
        let visible = self.shown.clone();
        let n = visible.len();
        for step in 1..=n {
            let at = if forward {
                (self.selected + step) % n
            } else {
                (self.selected + n - step % n) % n
            };
            if self.work.lines[visible[at]].failing() {
                self.select(at);
                return;
            }
        }
    }

    /// Clears the search, else the rule filter; false when neither was set.
    pub(super) fn clear_filter(&mut self) -> bool {
        if !self.search.is_empty() {
            self.search.clear();
        } else if self.group.is_some() {
            self.group = None;
        } else {
            return false;
        }
        self.refilter();
        self.select(0);
        true
    }
}
