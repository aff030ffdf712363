//! Versions, status names and the last error: what a C caller asks before and after a call.

use std::ffi::c_char;

use super::boundary::{call, call_keeping_last_error, last_error};
use super::handle::{OutParam, Output};
use super::{Error, Status};

/// The version of this C ABI. It changes only when a function's signature or meaning changes
/// incompatibly; adding functions, status codes or format values does not change it. A program
/// compares `smtrust_abi_version()` with the `SMTRUST_ABI_VERSION` it was compiled against.
pub const SMTRUST_ABI_VERSION: u32 = 1;

/// Writes the library's version (e.g. `0.1.0`) as NUL-terminated text; the length counts the
/// NUL. Two-call pattern: with `out` NULL, `*written` receives the length needed.
///
/// # Safety
///
/// `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_version(
    out: *mut c_char,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(out, out_len, written, "out") }?;
        output.deliver_text(env!("CARGO_PKG_VERSION"))
    })
}

/// Writes the ABI version of the library that is actually loaded to `*out`.
///
/// # Safety
///
/// `out` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_abi_version(out: *mut u32) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let out = unsafe { OutParam::new(out, "out") }?;
        out.put(SMTRUST_ABI_VERSION);
        Ok(())
    })
}

/// Writes the name of status code `status` (e.g. `SMTRUST_STATUS_SM4_BAD_PADDING`) as
/// NUL-terminated text. An unknown code gives `SMTRUST_STATUS_INVALID_PARAMETER`.
///
/// # Safety
///
/// `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_status_name(
    status: u32,
    out: *mut c_char,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(out, out_len, written, "out") }?;
        let status = Status::from_code(status).ok_or(Error::UnknownValue {
            param: "status",
            value: status,
            enumeration: "smtrust_status",
        })?;
        output.deliver_text(status.name())
    })
}

/// Writes the message of the most recent call on the calling thread (other than this one) as
/// NUL-terminated text: a full sentence saying why it failed, or the empty string if it
/// succeeded. Reading the message does not clear it, so the two-call pattern works here too.
///
/// # Safety
///
/// `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_last_error(
    out: *mut c_char,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call_keeping_last_error(|| {
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(out, out_len, written, "out") }?;
        output.deliver_text(&last_error())
    })
}
