//! The C ABI's buffer-taking functions (feature `ffi`), called from Rust exactly as C would:
//! the first byte picks the function, the second a format or flag value (including values
//! no enum has), the rest is the buffer. Every call must return a status, never panic (a
//! caught panic would be `SMTRUST_STATUS_INTERNAL`), and never write past `out_len`.

use std::ptr;

use smtrust::ffi::{self, Status};

use super::fixed;

/// Output buffer size; the guard bytes after `out_len` must stay untouched.
const OUT_LEN: usize = 4096;
const GUARD: u8 = 0xa5;

/// A secret-key handle (`sm2-enc-001`), freed on drop.
struct SecretHandle(*mut ffi::Sm2SecretKey);

impl SecretHandle {
    fn new() -> Self {
        let bytes = fixed::hex(fixed::ENC_001_SECRET_KEY);
        let mut key = ptr::null_mut();
        // SAFETY: `bytes` is valid for its length and `key` for one write.
        let status =
            unsafe { ffi::smtrust_sm2_secret_key_import(bytes.as_ptr(), bytes.len(), 5, &mut key) };
        assert_eq!(status, Status::Ok);
        Self(key)
    }
}

impl Drop for SecretHandle {
    fn drop(&mut self) {
        // SAFETY: a live handle from `smtrust_sm2_secret_key_import`, freed once.
        assert_eq!(
            unsafe { ffi::smtrust_sm2_secret_key_free(self.0) },
            Status::Ok
        );
    }
}

/// A public-key handle, freed on drop.
struct PublicHandle(*mut ffi::Sm2PublicKey);

impl PublicHandle {
    fn from_point(point: &[u8]) -> Self {
        let mut key = ptr::null_mut();
        // SAFETY: `point` is valid for its length and `key` for one write.
        let status =
            unsafe { ffi::smtrust_sm2_public_key_import(point.as_ptr(), point.len(), 3, &mut key) };
        assert_eq!(status, Status::Ok);
        Self(key)
    }
}

impl Drop for PublicHandle {
    fn drop(&mut self) {
        // SAFETY: a live handle from `smtrust_sm2_public_key_import`, freed once.
        assert_eq!(
            unsafe { ffi::smtrust_sm2_public_key_free(self.0) },
            Status::Ok
        );
    }
}

/// An output buffer with guard bytes after the part the callee may write.
struct Out {
    buf: Vec<u8>,
    len: usize,
    written: usize,
}

impl Out {
    fn new(param: u8) -> Self {
        // Small sizes exercise SMTRUST_STATUS_BUFFER_TOO_SMALL.
        let len = if param & 0x80 != 0 {
            usize::from(param & 0x3f)
        } else {
            OUT_LEN
        };
        Self {
            buf: vec![GUARD; len + 64],
            len,
            written: 0,
        }
    }

    fn check(&self, status: Status) {
        assert!(self.buf[self.len..].iter().all(|&b| b == GUARD));
        if status == Status::Ok {
            assert!(self.written <= self.len);
        }
    }
}

fn checked(status: Status) -> Status {
    assert_ne!(status, Status::Internal);
    status
}

/// Takes a length-prefixed field (one byte of length) off the front of `data`.
fn field(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        Some((&n, rest)) => rest.split_at(usize::from(n).min(rest.len())),
        None => (&[], &[]),
    }
}

/// Calls one buffer-taking C function with fuzz bytes.
pub fn ffi(data: &[u8]) {
    let [selector, param, body @ ..] = data else {
        return;
    };
    let format = u32::from(param & 0x07);
    let mut out = Out::new(*param);
    let (o, ol, w) = (out.buf.as_mut_ptr(), out.len, &raw mut out.written);
    let (b, bl) = (body.as_ptr(), body.len());
    // SAFETY (every call below): input pointers come from live slices with their lengths,
    // `o` is valid for `ol` bytes, `w` for one write, and handles are live.
    let status = match selector % 14 {
        0 => {
            let mut key = ptr::null_mut();
            let status = unsafe { ffi::smtrust_sm2_secret_key_import(b, bl, format, &mut key) };
            if status == Status::Ok {
                assert_eq!(unsafe { ffi::smtrust_sm2_secret_key_free(key) }, Status::Ok);
            }
            status
        }
        1 => {
            let mut key = ptr::null_mut();
            let status = unsafe { ffi::smtrust_sm2_public_key_import(b, bl, format, &mut key) };
            if status == Status::Ok {
                assert_eq!(unsafe { ffi::smtrust_sm2_public_key_free(key) }, Status::Ok);
            }
            status
        }
        2 => {
            let password = super::sm2::KEY_PASSWORD;
            let mut key = ptr::null_mut();
            let status = unsafe {
                ffi::smtrust_sm2_secret_key_import_encrypted_with_limit(
                    b,
                    bl,
                    format,
                    password.as_ptr(),
                    password.len(),
                    super::sm2::FUZZ_MAX_ITERATIONS,
                    &mut key,
                )
            };
            if status == Status::Ok {
                assert_eq!(unsafe { ffi::smtrust_sm2_secret_key_free(key) }, Status::Ok);
            }
            status
        }
        3 => {
            let key = PublicHandle::from_point(&fixed::hex(fixed::SIGN_001_PUBLIC_KEY));
            let msg = fixed::hex(fixed::SIGN_001_MESSAGE);
            let (id, signature) = field(body);
            unsafe {
                ffi::smtrust_sm2_verify(
                    key.0,
                    id.as_ptr(),
                    id.len(),
                    msg.as_ptr(),
                    msg.len(),
                    format,
                    signature.as_ptr(),
                    signature.len(),
                )
            }
        }
        4 => unsafe {
            ffi::smtrust_sm2_signature_convert(b, bl, format & 3, (format >> 1) & 3, o, ol, w)
        },
        5 => {
            let key = SecretHandle::new();
            unsafe { ffi::smtrust_sm2_decrypt(key.0, b, bl, format, o, ol, w) }
        }
        6 => unsafe {
            ffi::smtrust_sm2_ciphertext_convert(b, bl, format, u32::from(param >> 3 & 7), o, ol, w)
        },
        7 => {
            let (key, rest) = field(body);
            let (tag, msg) = field(rest);
            unsafe {
                ffi::smtrust_sm3_hmac_verify(
                    key.as_ptr(),
                    key.len(),
                    msg.as_ptr(),
                    msg.len(),
                    tag.as_ptr(),
                    tag.len(),
                )
            }
        }
        8 => {
            let (key, rest) = field(body);
            let (iv, msg) = field(rest);
            unsafe {
                ffi::smtrust_sm4_cbc_decrypt(
                    key.as_ptr(),
                    key.len(),
                    iv.as_ptr(),
                    iv.len(),
                    format,
                    msg.as_ptr(),
                    msg.len(),
                    o,
                    ol,
                    w,
                )
            }
        }
        9 => {
            let (key, rest) = field(body);
            let (nonce, rest) = field(rest);
            let (aad, msg) = field(rest);
            unsafe {
                ffi::smtrust_sm4_gcm_decrypt(
                    key.as_ptr(),
                    key.len(),
                    nonce.as_ptr(),
                    nonce.len(),
                    aad.as_ptr(),
                    aad.len(),
                    msg.as_ptr(),
                    msg.len(),
                    o,
                    ol,
                    w,
                )
            }
        }
        10 => {
            let anchors = fixed::STD_ROOT_CERTIFICATE;
            let id = b"1234567812345678";
            unsafe {
                ffi::smtrust_cert_verify(
                    b,
                    bl,
                    ptr::null(),
                    0,
                    anchors.as_ptr(),
                    anchors.len(),
                    ptr::null(),
                    0,
                    1_906_502_400,
                    format,
                    u32::from(param >> 3 & 7),
                    id.as_ptr(),
                    id.len(),
                )
            }
        }
        11 => {
            let (content, cms) = field(body);
            let anchors = fixed::STD_ROOT_CERTIFICATE;
            unsafe {
                ffi::smtrust_cms_verify(
                    cms.as_ptr(),
                    cms.len(),
                    format,
                    content.as_ptr(),
                    content.len(),
                    ptr::null(),
                    0,
                    anchors.as_ptr(),
                    anchors.len(),
                    ptr::null(),
                    0,
                    1_906_502_400,
                    1,
                    0,
                    o.cast(),
                    ol,
                    w,
                )
            }
        }
        12 => {
            let pinned = smtrust::pki::Certificate::from_der(fixed::LEAF_GOOD_CERTIFICATE)
                .unwrap()
                .sm2_public_key()
                .unwrap();
            let key = PublicHandle::from_point(&pinned.to_uncompressed());
            let pin = if param & 1 == 0 {
                key.0.cast_const()
            } else {
                ptr::null()
            };
            unsafe {
                ffi::smtrust_record_verify(
                    b,
                    bl,
                    pin,
                    ptr::null(),
                    0,
                    ptr::null(),
                    0,
                    ptr::null(),
                    0,
                    1_906_502_400,
                    1,
                    0,
                    o.cast(),
                    ol,
                    w,
                )
            }
        }
        _ => unsafe { ffi::smtrust_sm3_hash(b, bl, o, ol, w) },
    };
    out.check(checked(status));
}
