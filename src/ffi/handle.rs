//! Every raw-pointer operation of the C ABI, in one file: input buffers, output buffers with
//! the two-call length pattern, out-parameters, and handles.
//!
//! Handles are heap boxes whose addresses are kept in a registry of live handles together with
//! their type's magic value. A pointer is dereferenced only after the registry vouches for it,
//! so a freed handle, a handle of another type or a stray pointer is refused with
//! `SMTRUST_STATUS_INVALID_HANDLE` without the freed memory ever being read. (If the allocator
//! hands the freed address to a new handle of the same type, the stale pointer names that new
//! handle; no registry can tell the two apart.) The magic value inside each handle is checked
//! as well, as a guard against memory corruption.

use std::collections::BTreeMap;
use std::ffi::c_char;
use std::ptr::NonNull;
use std::sync::{Mutex, PoisonError};

use super::Error;

/// A type that crosses the boundary as an opaque handle.
pub(super) trait Handle: Sized + Send + Sync {
    /// A value unique to the type, stored in every live handle and in the registry.
    const MAGIC: u64;
    /// The type's name in the header.
    const C_NAME: &'static str;
    /// The magic value this handle carries.
    fn magic(&self) -> u64;
}

/// Addresses of the live handles, each with its type's magic value.
static LIVE: Mutex<BTreeMap<usize, u64>> = Mutex::new(BTreeMap::new());

fn live() -> std::sync::MutexGuard<'static, BTreeMap<usize, u64>> {
    // The map is always consistent between statements, so a panic elsewhere while the lock
    // was held leaves nothing half-done.
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Borrows the input buffer `ptr[..len]`. NULL is accepted only with length 0.
///
/// # Safety
///
/// Unless NULL, `ptr` must be valid for reads of `len` bytes for `'a`, and not be written
/// during `'a`.
pub(super) unsafe fn input<'a>(
    ptr: *const u8,
    len: usize,
    param: &'static str,
) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::NullPointer { param });
    }
    if len > isize::MAX.unsigned_abs() {
        return Err(Error::InvalidLength {
            param,
            len,
            expected: "no buffer can be longer than PTRDIFF_MAX",
        });
    }
    // SAFETY: `ptr` is not NULL, `len` is at most isize::MAX, and the caller guarantees the
    // bytes are readable and unchanged for 'a (the header's contract for every input buffer).
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An output buffer with its capacity and the place where the length goes.
///
/// With `buf` NULL the call only asks for the length: `*written` receives the length needed.
/// Otherwise the result is copied if it fits and `*written` receives its length; if it does
/// not fit, nothing is copied, `*written` receives the length needed and the call fails with
/// `SMTRUST_STATUS_BUFFER_TOO_SMALL`.
pub(super) struct Output {
    buf: *mut u8,
    capacity: usize,
    written: NonNull<usize>,
    param: &'static str,
}

impl Output {
    /// Checks the output parameters of a call.
    ///
    /// # Safety
    ///
    /// Unless NULL, `buf` must be valid for writes of `capacity` bytes and `written` valid for
    /// one write of a `size_t`, until the `Output` is consumed; neither may overlap an input.
    pub(super) unsafe fn new(
        buf: *mut u8,
        capacity: usize,
        written: *mut usize,
        param: &'static str,
    ) -> Result<Self, Error> {
        let written = NonNull::new(written).ok_or(Error::NullPointer { param: "written" })?;
        if !buf.is_null() && capacity > isize::MAX.unsigned_abs() {
            return Err(Error::InvalidLength {
                param,
                len: capacity,
                expected: "no buffer can be longer than PTRDIFF_MAX",
            });
        }
        Ok(Self {
            buf,
            capacity,
            written,
            param,
        })
    }

    /// Checks the output parameters of a call that writes NUL-terminated text.
    ///
    /// # Safety
    ///
    /// As [`Output::new`].
    pub(super) unsafe fn new_text(
        buf: *mut c_char,
        capacity: usize,
        written: *mut usize,
        param: &'static str,
    ) -> Result<Self, Error> {
        // SAFETY: the caller's contract; `c_char` and `u8` have the same size and alignment.
        unsafe { Self::new(buf.cast::<u8>(), capacity, written, param) }
    }

    /// Whether the caller only asks for the length (the first of the two calls).
    pub(super) fn is_length_query(&self) -> bool {
        self.buf.is_null()
    }

    /// Answers a length query with `needed`, an upper bound for results whose length varies
    /// from call to call (randomised signatures and ciphertexts).
    pub(super) fn answer_length_query(self, needed: usize) -> Result<(), Error> {
        self.set_written(needed);
        Ok(())
    }

    /// Delivers `bytes`: their length for a query, else the bytes themselves if they fit.
    pub(super) fn deliver(self, bytes: &[u8]) -> Result<(), Error> {
        if self.buf.is_null() {
            return self.answer_length_query(bytes.len());
        }
        if bytes.len() > self.capacity {
            self.set_written(bytes.len());
            return Err(Error::BufferTooSmall {
                param: self.param,
                needed: bytes.len(),
                given: self.capacity,
            });
        }
        // SAFETY: `buf` is not NULL and valid for `capacity` ≥ `bytes.len()` bytes (the
        // contract of `new`); `ptr::copy` tolerates overlap even though the header forbids it.
        unsafe { std::ptr::copy(bytes.as_ptr(), self.buf, bytes.len()) };
        self.set_written(bytes.len());
        Ok(())
    }

    /// Delivers `text` followed by a NUL byte; the length counts the NUL.
    pub(super) fn deliver_text(self, text: &str) -> Result<(), Error> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
        self.deliver(&bytes)
    }

    fn set_written(&self, len: usize) {
        // SAFETY: `written` is not NULL and valid for one write (the contract of `new`).
        unsafe { self.written.as_ptr().write(len) };
    }
}

/// An out-parameter `T *out`, checked before the work starts and written only on success.
pub(super) struct OutParam<T>(NonNull<T>);

impl<T: Copy> OutParam<T> {
    /// Checks that `ptr` is not NULL.
    ///
    /// # Safety
    ///
    /// Unless NULL, `ptr` must be valid for one write of a `T` until the `OutParam` is consumed.
    pub(super) unsafe fn new(ptr: *mut T, param: &'static str) -> Result<Self, Error> {
        NonNull::new(ptr)
            .map(Self)
            .ok_or(Error::NullPointer { param })
    }

    /// Writes `value`.
    pub(super) fn put(self, value: T) {
        // SAFETY: not NULL and valid for one write (the contract of `new`); `T: Copy` has no
        // destructor, so not reading the old value leaks nothing.
        unsafe { self.0.as_ptr().write(value) };
    }
}

impl<H: Handle> OutParam<*mut H> {
    /// Moves `value` into a new live handle and writes its address.
    pub(super) fn put_handle(self, value: H) {
        let ptr = Box::into_raw(Box::new(value));
        let _previous = live().insert(ptr.addr(), H::MAGIC);
        self.put(ptr);
    }
}

/// Borrows the value behind a handle, if `ptr` is a live handle of type `H`.
///
/// # Safety
///
/// The handle must not be freed while the returned reference is alive (the header's rule:
/// `_free` must not race with other uses of the same handle).
pub(super) unsafe fn borrow<'a, H: Handle>(
    ptr: *const H,
    param: &'static str,
) -> Result<&'a H, Error> {
    if ptr.is_null() {
        return Err(Error::NullPointer { param });
    }
    let invalid = Error::InvalidHandle {
        param,
        expected: H::C_NAME,
    };
    if live().get(&ptr.addr()) != Some(&H::MAGIC) {
        return Err(invalid);
    }
    // SAFETY: the registry holds exactly the addresses returned by `Box::into_raw` for an `H`
    // and not yet freed, so `ptr` points to a live, initialised `H`; no `&mut` to it exists
    // (handles are never mutated after creation).
    let value = unsafe { &*ptr };
    if value.magic() != H::MAGIC {
        return Err(invalid);
    }
    Ok(value)
}

/// Frees a handle of type `H`. NULL is accepted and does nothing; a pointer that is not a live
/// handle of type `H` is refused and left alone.
///
/// # Safety
///
/// No other thread may be using the handle.
pub(super) unsafe fn free<H: Handle>(ptr: *mut H, param: &'static str) -> Result<(), Error> {
    if ptr.is_null() {
        return Ok(());
    }
    let mut live = live();
    if live.get(&ptr.addr()) != Some(&H::MAGIC) {
        return Err(Error::InvalidHandle {
            param,
            expected: H::C_NAME,
        });
    }
    let _magic = live.remove(&ptr.addr());
    drop(live);
    // SAFETY: the registry vouched that `ptr` came from `Box::into_raw` for an `H` and was not
    // freed; it is now removed, so this is the only `Box::from_raw` for it. Dropping the box
    // runs the value's destructor, which wipes any secret it holds.
    drop(unsafe { Box::from_raw(ptr) });
    Ok(())
}
