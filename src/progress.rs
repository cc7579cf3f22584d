//! How far a long phase is, said one way by every phase that can take seconds (reading and
//! checking lines, grouping them into customers, writing an import, undoing one, loading the
//! register) and measured one way for whoever shows it: the CLI's `--progress` lines and the
//! wizard's progress box.
//!
//! A phase only counts: it calls its [`Report`] with a [`Progress`] now and then, cheaply. A
//! [`Meter`] on the other side turns those counts into a rate and a time left, and [`follow`]
//! says where the work is at least every interval, even while a phase is between two counts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where a long phase is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// What is being done, for the operator: "checking lines", "writing indexes"...
    pub stage: &'static str,
    /// What `count` counts, plural: "lines", "customers"; empty when the phase counts nothing
    /// (a flush to disk), and then only its time is shown.
    pub unit: &'static str,
    pub count: u64,
    /// How far through the phase, of `total` when the end is known. Usually the count itself;
    /// the bytes of a file while its lines are read, whose number is not known before.
    pub done: u64,
    pub total: Option<u64>,
}

impl Progress {
    /// A phase counting towards an end it does not know.
    pub fn counting(stage: &'static str, unit: &'static str, count: u64) -> Progress {
        Progress {
            stage,
            unit,
            count,
            done: count,
            total: None,
        }
    }

    /// A phase counting towards a known end.
    pub fn of(stage: &'static str, unit: &'static str, count: u64, total: u64) -> Progress {
        Progress {
            total: Some(total),
            ..Progress::counting(stage, unit, count)
        }
    }

    /// A phase that counts nothing, begun: only its time can be shown.
    pub fn begun(stage: &'static str) -> Progress {
        Progress::counting(stage, "", 0)
    }

    /// The same count, with how far through measured otherwise (bytes read of a file).
    pub fn through(self, done: u64, total: Option<u64>) -> Progress {
        Progress {
            done,
            total,
            ..self
        }
    }

    /// How far through, from 0 to 1, when the end is known.
    pub fn fraction(&self) -> Option<f64> {
        match self.total {
            Some(total) if total > 0 => Some((self.done as f64 / total as f64).clamp(0.0, 1.0)),
            _ => None,
        }
    }
}

/// The one shape of a progress callback: every phase takes one, and may call it from any of
/// its threads.
pub type Report<'a> = &'a (dyn Fn(Progress) + Sync);

/// A report that goes nowhere.
pub const SILENT: Report<'static> = &|_| {};

/// Lets a caller follow and stop a long run.
#[derive(Clone, Copy)]
pub struct Control<'a> {
    pub cancel: &'a AtomicBool,
    pub progress: Report<'a>,
}

static NEVER: AtomicBool = AtomicBool::new(false);

impl Control<'static> {
    /// No progress reports, no cancelling.
    pub fn none() -> Control<'static> {
        Control {
            cancel: &NEVER,
            progress: SILENT,
        }
    }
}

impl<'a> Control<'a> {
    /// Reports to `progress`, never cancelled.
    pub fn reporting(progress: Report<'a>) -> Control<'a> {
        Control {
            cancel: &NEVER,
            progress,
        }
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A report as shown: with the time its stage has taken, its rate and the time left.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measured {
    pub progress: Progress,
    /// Since the stage began.
    pub elapsed: Duration,
    /// `unit` per second, once the stage has run long enough to say.
    pub rate: Option<f64>,
    /// Only when the end is known.
    pub left: Option<Duration>,
}

impl Measured {
    /// Measures `progress`, whose stage began `elapsed` ago.
    pub fn new(progress: Progress, elapsed: Duration) -> Measured {
        let seconds = elapsed.as_secs_f64();
        // Under a fifth of a second, a rate is mostly noise.
        let settled = seconds >= 0.2;
        let rate = (settled && !progress.unit.is_empty()).then(|| progress.count as f64 / seconds);
        let left = match progress.fraction() {
            Some(f) if settled && f > 0.0 && f < 1.0 => {
                Some(Duration::from_secs_f64(seconds * (1.0 - f) / f))
            }
            _ => None,
        };
        Measured {
            progress,
            elapsed,
            rate,
            left,
        }
    }
}

/// Turns reports into measured ones, at most one every interval (a new stage at once), and
/// keeps the latest for [`Meter::latest`].
pub struct Meter {
    every: Duration,
    state: Mutex<State>,
}

struct State {
    /// The latest report, and when its stage began.
    latest: Option<(Progress, Instant)>,
    last_shown: Option<Instant>,
}

impl Meter {
    pub fn new(every: Duration) -> Meter {
        Meter {
            every,
            state: Mutex::new(State {
                latest: None,
                last_shown: None,
            }),
        }
    }

    /// Takes a report; returns it measured when it is due to be shown.
    pub fn take(&self, progress: Progress) -> Option<Measured> {
        let now = Instant::now();
        let mut state = self.state.lock().ok()?;
        let (began, new_stage) = match state.latest {
            Some((latest, began)) if latest.stage == progress.stage => (began, false),
            _ => (now, true),
        };
        state.latest = Some((progress, began));
        let due = new_stage
            || state
                .last_shown
                .is_none_or(|at| now.duration_since(at) >= self.every);
        if !due {
            return None;
        }
        state.last_shown = Some(now);
        Some(Measured::new(progress, now.duration_since(began)))
    }

    /// The latest report measured now, when nothing was shown for an interval: what a phase
    /// between two counts still says, with its time going on.
    pub fn latest(&self) -> Option<Measured> {
        let now = Instant::now();
        let mut state = self.state.lock().ok()?;
        let (progress, began) = state.latest?;
        if state
            .last_shown
            .is_some_and(|at| now.duration_since(at) < self.every)
        {
            return None;
        }
        state.last_shown = Some(now);
        Some(Measured::new(progress, now.duration_since(began)))
    }
}

/// Shows a long run's reports as they are due (see [`Meter`]), and while the run is silent
/// for longer than an interval, shows its latest report again, its time going on: no phase
/// leaves its watcher without news for more than 1.2 intervals. Stops when dropped.
pub struct Follower {
    meter: Arc<Meter>,
    show: Arc<dyn Fn(Measured) + Send + Sync>,
    stop: Option<mpsc::Sender<()>>,
    beat: Option<std::thread::JoinHandle<()>>,
}

impl Follower {
    pub fn start(every: Duration, show: impl Fn(Measured) + Send + Sync + 'static) -> Follower {
        let meter = Arc::new(Meter::new(every));
        let show: Arc<dyn Fn(Measured) + Send + Sync> = Arc::new(show);
        let (stop, stopped) = mpsc::channel::<()>();
        let beat = {
            let (meter, show) = (Arc::clone(&meter), Arc::clone(&show));
            std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || {
                    // Woken five times an interval until the follower is dropped (its sender
                    // with it), so that no gap between two shows is over 1.2 intervals.
                    let tick = every / 5;
                    while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                        if let Some(measured) = meter.latest() {
                            show(measured);
                        }
                    }
                })
                // Without the thread, reports are still shown as they come.
                .ok()
        };
        Follower {
            meter,
            show,
            stop: Some(stop),
            beat,
        }
    }

    /// What the run's [`Report`] calls.
    pub fn report(&self, progress: Progress) {
        if let Some(measured) = self.meter.take(progress) {
            (self.show)(measured);
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(beat) = self.beat.take() {
            let _ = beat.join();
        }
    }
}

/// A duration as the operator reads it: `4 s`, `2 min 5 s`.
pub fn duration_text(d: Duration) -> String {
    let seconds = d.as_secs_f64();
    if seconds < 60.0 {
        format!("{:.0} s", seconds.max(1.0))
    } else {
        format!(
            "{:.0} min {:.0} s",
            (seconds / 60.0).floor(),
            seconds % 60.0
        )
    }
}

impl Measured {
    /// One line for the operator, numbers grouped by `separator`: `grouping lines into
    /// customers: 812,345 of 1,500,000 lines, 95,123 lines/s, about 7 s left`. A phase whose
    /// end is not known says its count and rate, one that counts nothing its time. How far
    /// through, as a share, is the time left's business (and a bar's).
    pub fn describe(&self, separator: char) -> String {
        let p = &self.progress;
        let n = |v: u64| crate::display::grouped(v, separator);
        if p.unit.is_empty() {
            return match self.elapsed < Duration::from_secs(1) {
                true => p.stage.to_string(),
                false => format!("{}, {} so far", p.stage, duration_text(self.elapsed)),
            };
        }
        let mut text = match p.total {
            Some(total) if p.done == p.count => {
                format!("{}: {} of {} {}", p.stage, n(p.count), n(total), p.unit)
            }
            _ => format!("{}: {} {}", p.stage, n(p.count), p.unit),
        };
        if let Some(rate) = self.rate {
            text.push_str(&format!(", {} {}/s", n(rate as u64), p.unit));
        }
        if let Some(left) = self.left {
            text.push_str(&format!(", about {} left", duration_text(left)));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_comes_from_how_far_and_rate_from_the_count() {
        let p = Progress::of("writing customers", "customers", 250, 1000);
        let m = Measured::new(p, Duration::from_secs(10));
        assert_eq!(m.rate, Some(25.0));
        assert_eq!(m.left, Some(Duration::from_secs(30)));
        // Lines read, measured by bytes: the rate counts lines, the time left bytes.
        let p = Progress::counting("checking lines", "lines", 5000).through(75, Some(100));
        let m = Measured::new(p, Duration::from_secs(3));
        assert_eq!(m.rate, Some(5000.0 / 3.0));
        assert_eq!(m.left, Some(Duration::from_secs(1)));
    }

    #[test]
    fn without_an_end_there_is_no_time_left_and_without_a_unit_no_rate() {
        let m = Measured::new(
            Progress::counting("grouping", "lines", 10),
            Duration::from_secs(2),
        );
        assert_eq!((m.rate, m.left), (Some(5.0), None));
        let m = Measured::new(Progress::begun("saving to disk"), Duration::from_secs(2));
        assert_eq!((m.rate, m.left), (None, None));
        // Too early to say.
        let m = Measured::new(
            Progress::of("grouping", "lines", 10, 100),
            Duration::from_millis(50),
        );
        assert_eq!((m.rate, m.left), (None, None));
    }

    #[test]
    fn a_meter_shows_a_new_stage_at_once_and_the_same_stage_once_an_interval() {
        let meter = Meter::new(Duration::from_secs(3600));
        assert!(meter.take(Progress::of("a", "lines", 1, 10)).is_some());
        assert!(meter.take(Progress::of("a", "lines", 2, 10)).is_none());
        assert!(meter.latest().is_none(), "shown less than an interval ago");
        let shown = meter.take(Progress::of("b", "lines", 3, 10)).unwrap();
        assert_eq!(shown.progress.stage, "b");
        let meter = Meter::new(Duration::ZERO);
        assert!(meter.latest().is_none(), "nothing reported yet");
        meter.take(Progress::of("a", "lines", 1, 10));
        assert_eq!(meter.latest().unwrap().progress.count, 1);
    }

    #[test]
    fn a_silent_phase_is_still_shown_every_interval() {
        let shown = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&shown);
        let follower = Follower::start(Duration::from_millis(20), move |m| {
            seen.lock().unwrap().push(m)
        });
        follower.report(Progress::begun("saving to disk"));
        // Silent for ten intervals.
        std::thread::sleep(Duration::from_millis(200));
        drop(follower);
        let shown = shown.lock().unwrap();
        assert!(shown.len() >= 3, "shown {} times", shown.len());
        assert!(shown.iter().all(|m| m.progress.stage == "saving to disk"));
        assert!(shown.last().unwrap().elapsed >= Duration::from_millis(60));
    }

    #[test]
    fn a_report_reads_as_a_sentence_with_what_is_known() {
        let m = |p, secs| Measured::new(p, Duration::from_secs(secs));
        let grouping = Progress::of("grouping lines into customers", "lines", 812_345, 1_500_000);
        assert_eq!(
            m(grouping, 8).describe(','),
            "grouping lines into customers: 812,345 of 1,500,000 lines, 101,543 lines/s, \
             about 7 s left"
        );
        let reading = Progress::counting("checking lines", "lines", 300_000).through(1, Some(4));
        assert_eq!(
            m(reading, 3).describe(' '),
            "checking lines: 300 000 lines, 100 000 lines/s, about 9 s left"
        );
        let unbounded = Progress::counting("removing an interrupted load", "entries", 5000);
        assert_eq!(
            m(unbounded, 2).describe(','),
            "removing an interrupted load: 5,000 entries, 2,500 entries/s"
        );
        assert_eq!(
            m(Progress::begun("saving to disk"), 125).describe(','),
            "saving to disk, 2 min 5 s so far"
        );
        assert_eq!(
            m(Progress::begun("saving to disk"), 0).describe(','),
            "saving to disk"
        );
    }
}
