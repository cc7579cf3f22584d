//! The wizard's loop: draw, wait for an event (a key or finished work), let the state
//! machine answer it, carry out its commands. Generic over the ratatui backend, so that a test
//! drives this same loop on a `TestBackend`, with events from a channel and no terminal.

use crate::tui::app::App;
use crate::tui::event::{Command, Done, Event};
use crate::tui::input::Input;
use crate::tui::runtime::Runtime;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;
use std::sync::mpsc::Receiver;

/// Lends the terminal to `$EDITOR` on a cell's text and takes it back: the outer error is a
/// terminal that could not be taken back, the inner one the editor's.
pub type Lend<'a, B> =
    dyn FnMut(&mut Terminal<B>, &str) -> std::io::Result<Result<String, String>> + 'a;

/// Runs the wizard until it quits or its events end. `commands` are the first ones, those
/// of [`App::new`]; `input` is told when each key or resize is dealt with.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    commands: Vec<Command>,
    inbox: &Receiver<Event>,
    runtime: &mut Runtime,
    input: &Input,
    lend: &mut Lend<'_, B>,
) -> Result<(), String> {
    for command in commands {
        runtime.execute(command);
    }
    let mut pending: VecDeque<Event> = VecDeque::new();
    loop {
        terminal
            .draw(|frame| app.view(frame))
            .map_err(|e| e.to_string())?;
        let Ok(first) = inbox.recv() else {
            return Ok(());
        };
        pending.push_back(first);
        // Take everything that is waiting before drawing again: a burst of keys or progress
        // reports costs one redraw.
        while let Some(event) = pending.pop_front().or_else(|| inbox.try_recv().ok()) {
            let from_input = matches!(event, Event::Key(_) | Event::Resize);
            for command in app.update(event) {
                match command {
                    Command::Quit => {
                        runtime.finish();
                        return Ok(());
                    }
                    Command::ExternalEdit(text) => {
                        let edited = lend(terminal, &text)
                            .map_err(|e| format!("cannot use this terminal: {e}"))?;
                        pending.push_back(Event::Worker(Box::new(Done::EditedExternally(edited))));
                    }
                    command => runtime.execute(command),
                }
            }
            // Only now may the next key be read: had this one opened `$EDITOR`, the keys
            // were the editor's until it closed.
            if from_input {
                input.handled();
            }
        }
    }
}

#[cfg(test)]
mod tests;
