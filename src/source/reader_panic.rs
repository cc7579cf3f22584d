//! A panic of the workbook reader is the file's doing, not the program's: calamine indexes
//! and subtracts what a damaged file claims without a check. It is caught on the reader's own
//! thread and reported as one line naming the file, and the standard hook, which would print
//! the panic and a backtrace hint on standard error, stays quiet for that thread. Panics on
//! every other thread print as they always do.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// The name of the thread a workbook is read on.
pub(crate) const THREAD: &str = "sheet-reader";

/// Installs, once for the process, a hook that passes every panic to the previous hook except
/// those of [`THREAD`].
pub(crate) fn quiet_for_reader() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(THREAD) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into its message's first line.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| first_line(&payload))
}

fn first_line(payload: &Box<dyn Any + Send>) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "no message"
    };
    let line = text.lines().next().unwrap_or("");
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_first_line() {
        quiet_for_reader();
        let caught = std::thread::Builder::new()
            .name(THREAD.into())
            .spawn(|| catch(|| -> u8 { panic!("index out of bounds\nmore") }))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(caught, Err("index out of bounds".to_string()));
        assert_eq!(catch(|| 7), Ok(7));
    }
}
