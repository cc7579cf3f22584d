//! Rows handed from the workbook reader's thread to the caller, bounded by their bytes as well
//! as their number: a row of shared strings can be megabytes from a few bytes of XML, and a
//! queue of thousands of such rows would hold gigabytes. The reader waits while the queue is
//! full; a row larger than the whole budget still goes through alone.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Rows queued at most.
const ROWS: usize = 4096;
/// Bytes of cell text queued at most.
const BYTES: u64 = 64 << 20;
/// A waiting receiver is woken once this many rows (or a buffer's worth of bytes) are queued,
/// not at each one: a thread woken per row spends its time being woken. The first rows, which
/// a preview and the header's guess wait for, go at once.
const WAKE_ROWS: usize = 64;
const FIRST_ROWS: u64 = 256;
const WAKE_BYTES: u64 = 1 << 20;

struct State<T> {
    rows: VecDeque<(T, u64)>,
    bytes: u64,
    sender_gone: bool,
    receiver_gone: bool,
    /// Who waits for the other: woken only then, so a queue that neither fills nor empties
    /// costs no wake-ups.
    sender_waits: bool,
    receiver_waits: bool,
    /// Rows sent so far.
    sent: u64,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // The state is a queue and two flags; a panic elsewhere leaves them usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub(crate) struct Sender<T> {
    shared: Arc<Shared<T>>,
}

pub(crate) struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

pub(crate) fn queue<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            rows: VecDeque::new(),
            bytes: 0,
            sender_gone: false,
            receiver_gone: false,
            sender_waits: false,
            receiver_waits: false,
            sent: 0,
        }),
        changed: Condvar::new(),
    });
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

impl<T> Sender<T> {
    /// Queues `row` of `bytes`, waiting for room; false when the receiver is gone.
    pub(crate) fn send(&self, row: T, bytes: u64) -> bool {
        let mut state = self.shared.lock();
        while !state.receiver_gone
            && !state.rows.is_empty()
            && (state.rows.len() >= ROWS || state.bytes + bytes > BYTES)
        {
            // The receiver may be waiting for more than is queued: what is queued is all there
            // will be until it takes some.
            if state.receiver_waits {
                self.shared.changed.notify_all();
            }
            state.sender_waits = true;
            state = self
                .shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
        state.sender_waits = false;
        if state.receiver_gone {
            return false;
        }
        state.rows.push_back((row, bytes));
        state.bytes += bytes;
        state.sent += 1;
        let worth_waking =
            state.sent <= FIRST_ROWS || state.rows.len() >= WAKE_ROWS || state.bytes >= WAKE_BYTES;
        if state.receiver_waits && worth_waking {
            self.shared.changed.notify_all();
        }
        true
    }
}

impl<T> Receiver<T> {
    /// The next row, waiting for one; `None` once the sender is gone and the queue empty.
    pub(crate) fn recv(&self) -> Option<T> {
        let mut state = self.shared.lock();
        loop {
            if let Some((row, bytes)) = state.rows.pop_front() {
                state.receiver_waits = false;
                state.bytes -= bytes;
                // The sender waits for room; wake it once there is room for many rows, not
                // at each one.
                if state.sender_waits && (state.rows.len() < ROWS / 2 && state.bytes < BYTES / 2) {
                    self.shared.changed.notify_all();
                }
                return Some(row);
            }
            if state.sender_gone {
                return None;
            }
            state.receiver_waits = true;
            state = self
                .shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.shared.lock().sender_gone = true;
        self.shared.changed.notify_all();
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.receiver_gone = true;
        // What is queued is no one's any more.
        state.rows.clear();
        state.bytes = 0;
        drop(state);
        self.shared.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_holds_no_more_bytes_than_its_budget() {
        let (tx, rx) = queue::<u64>();
        let reader = std::thread::spawn(move || {
            for i in 0..20 {
                assert!(tx.send(i, BYTES / 4));
            }
        });
        // Let the reader fill the queue, then check it waited.
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(rx.shared.lock().bytes <= BYTES);
        let got: Vec<u64> = std::iter::from_fn(|| rx.recv()).collect();
        assert_eq!(got, (0..20).collect::<Vec<_>>());
        reader.join().unwrap();
    }

    #[test]
    fn a_row_too_big_to_queue_behind_a_few_small_ones_does_not_stall() {
        let (tx, rx) = queue::<u64>();
        let sender = std::thread::spawn(move || {
            // Past the first rows, a few small ones do not wake the receiver by themselves;
            // the big one cannot join them, and must wake it before waiting.
            for i in 0..FIRST_ROWS + 3 {
                assert!(tx.send(i, 1));
            }
            assert!(tx.send(u64::MAX, BYTES + 1));
        });
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let got: Vec<u64> = std::iter::from_fn(|| rx.recv()).collect();
            let _ = done_tx.send(got.len());
        });
        let received = done_rx.recv_timeout(std::time::Duration::from_secs(20));
        assert_eq!(received, Ok(FIRST_ROWS as usize + 4), "every row arrives");
        sender.join().unwrap();
    }

    #[test]
    fn a_reader_stops_when_no_one_reads() {
        let (tx, rx) = queue::<u64>();
        assert!(tx.send(1, BYTES));
        let reader = std::thread::spawn(move || tx.send(2, BYTES));
        std::thread::sleep(std::time::Duration::from_millis(20));
        drop(rx);
        assert!(
            !reader.join().unwrap(),
            "the send gives up instead of waiting forever"
        );
    }
}
