//! The panic boundary every entry point goes through, and the thread-local last error.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Error, Status};

thread_local! {
    /// The message of the most recent call on this thread; empty after a success.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs the body of an entry point: clears the last error, catches any panic, and turns the
/// outcome into a status code, recording the message of a failure.
pub(super) fn call(body: impl FnOnce() -> Result<(), Error>) -> Status {
    set_last_error(String::new());
    match run(body) {
        Ok(()) => Status::Ok,
        Err(err) => {
            let status = err.status();
            set_last_error(err.to_string());
            status
        }
    }
}

/// Like [`call`], but leaves the last error alone: for `smtrust_last_error` itself, so that
/// reading the message (twice, with the two-call pattern) does not erase it.
pub(super) fn call_keeping_last_error(body: impl FnOnce() -> Result<(), Error>) -> Status {
    match run(body) {
        Ok(()) => Status::Ok,
        Err(err) => err.status(),
    }
}

/// The message of the most recent call on this thread.
pub(super) fn last_error() -> String {
    LAST_ERROR.with(|cell| cell.borrow().clone())
}

fn run(body: impl FnOnce() -> Result<(), Error>) -> Result<(), Error> {
    // AssertUnwindSafe: a panic can leave no handle half-changed, because handles are never
    // mutated after creation, and the registry of live handles is updated in single steps.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        Err(Error::Panic {
            message: panic_message(payload.as_ref()),
        })
    })
}

fn set_last_error(message: String) {
    // `try_with` fails only while the thread is being torn down; there is no one left to read
    // the message then.
    let _ignored = LAST_ERROR.try_with(|cell| *cell.borrow_mut() = message);
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "no message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_the_internal_status_with_its_message() {
        let status = call(|| panic!("boom"));
        assert_eq!(status, Status::Internal);
        assert_eq!(
            last_error(),
            "internal error in smtrust (caught panic: boom); please report it"
        );
    }

    #[test]
    fn a_success_clears_the_last_error() {
        let status = call(|| Err(Error::NullPointer { param: "data" }));
        assert_eq!(status, Status::NullPointer);
        assert_eq!(
            last_error(),
            "the parameter `data` is NULL, which this function does not accept"
        );
        assert_eq!(call(|| Ok(())), Status::Ok);
        assert_eq!(last_error(), "");
    }

    #[test]
    fn reading_the_last_error_keeps_it() {
        let _status = call(|| Err(Error::Random));
        let status = call_keeping_last_error(|| Err(Error::NullPointer { param: "written" }));
        assert_eq!(status, Status::NullPointer);
        assert_eq!(
            last_error(),
            "the operating system's random number generator failed"
        );
    }
}
