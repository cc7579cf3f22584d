//! The terminal's keys, read on a thread of their own and handed to the wizard one at a time.
//! The thread hands over an event and then waits, blocked on a channel, until the wizard says
//! it is dealt with. So it never reads while a key is being answered, and a key that opens
//! `$EDITOR` leaves the terminal's keys to the editor: nothing polls, nothing sleeps, and no
//! flag needs watching while the editor runs.

use crate::tui::event::Event;
use ratatui::crossterm::event::{self as term, KeyEventKind};
use std::sync::mpsc::{self, Sender};

/// The wizard's end of the input thread.
pub struct Input {
    handled: Sender<()>,
}

impl Input {
    /// Starts reading the terminal into `events`. The thread ends when the wizard drops its
    /// end, or when the terminal is gone.
    pub fn spawn(events: Sender<Event>) -> std::io::Result<Input> {
        let (handled, next) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("input".into())
            .spawn(move || {
                loop {
                    let event = match term::read() {
                        Ok(term::Event::Key(key)) if key.kind != KeyEventKind::Release => {
                            Event::Key(key)
                        }
                        Ok(term::Event::Resize(..)) => Event::Resize,
                        Ok(_) => continue,
                        Err(_) => break,
                    };
                    if events.send(event).is_err() || next.recv().is_err() {
                        break;
                    }
                }
            })?;
        Ok(Input { handled })
    }

    /// No terminal behind it: the events come from a test's channel, and `handled` hears
    /// what the input thread would.
    #[cfg(test)]
    pub fn told(handled: Sender<()>) -> Input {
        Input { handled }
    }

    /// The key or resize handed over is dealt with: read the next.
    pub fn handled(&self) {
        // A thread already gone (the terminal closed) has nothing more to read.
        let _ = self.handled.send(());
    }
}
