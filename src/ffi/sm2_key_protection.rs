//! Password-protected SM2 private keys (PKCS#8 `EncryptedPrivateKeyInfo`, PBES2, RFC 8018) for
//! C callers.

use super::boundary::call;
use super::formats::{FromC, Sm2KeyProtection, Sm2PrivateKeyFormat};
use super::handle::{self, OutParam, Output, input};
use super::sm2_keys::{Sm2SecretKey, pem_body};
use super::{Error, Status};
use crate::sm2::{
    KeyCipher, KeyProtection, MAX_PBKDF2_ITERATIONS, Pbes2Limits, Pbkdf2Prf, SecretKey,
};

/// Reads a password-protected PKCS#8 private key (PBES2 with PBKDF2 and AES-CBC or SM4-CBC) in
/// `format`, which must be `SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER` or `_PKCS8_PEM` (PEM label
/// `ENCRYPTED PRIVATE KEY`). A wrong password gives `SMTRUST_STATUS_SM2_KEY_DECRYPTION_FAILED`.
/// A key may ask for up to 10,000,000 PBKDF2 iterations, which takes seconds; to read keys from
/// untrusted parties use `smtrust_sm2_secret_key_import_encrypted_with_limit`.
///
/// # Safety
///
/// `data` and `password` are NULL (only with length 0) or valid for their lengths; `key_out`
/// is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_import_encrypted(
    data: *const u8,
    data_len: usize,
    format: u32,
    password: *const u8,
    password_len: usize,
    key_out: *mut *mut Sm2SecretKey,
) -> Status {
    // SAFETY: the caller's contract above, which is `import_encrypted`'s.
    unsafe {
        import_encrypted(
            (data, data_len),
            format,
            (password, password_len),
            MAX_PBKDF2_ITERATIONS,
            key_out,
            "smtrust_sm2_secret_key_import_encrypted",
        )
    }
}

/// Reads a password-protected PKCS#8 private key as `smtrust_sm2_secret_key_import_encrypted`
/// does, but refuses a key that asks for more than `max_iterations` PBKDF2 iterations (1 to
/// 10,000,000) before deriving anything: `SMTRUST_STATUS_SM2_KEY_DECRYPTION_FAILED`, and
/// `smtrust_last_error` names the count found and the cap. A cap of 0 or above 10,000,000 gives
/// `SMTRUST_STATUS_INVALID_PARAMETER`.
///
/// # Safety
///
/// `data` and `password` are NULL (only with length 0) or valid for their lengths; `key_out`
/// is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_import_encrypted_with_limit(
    data: *const u8,
    data_len: usize,
    format: u32,
    password: *const u8,
    password_len: usize,
    max_iterations: u32,
    key_out: *mut *mut Sm2SecretKey,
) -> Status {
    // SAFETY: the caller's contract above, which is `import_encrypted`'s.
    unsafe {
        import_encrypted(
            (data, data_len),
            format,
            (password, password_len),
            max_iterations,
            key_out,
            "smtrust_sm2_secret_key_import_encrypted_with_limit",
        )
    }
}

/// The body of both import functions; `function` names the caller's entry point in errors.
///
/// # Safety
///
/// `data` and `password` are NULL (only with length 0) or valid for their lengths; `key_out`
/// is valid for one write.
unsafe fn import_encrypted(
    (data, data_len): (*const u8, usize),
    format: u32,
    (password, password_len): (*const u8, usize),
    max_iterations: u32,
    key_out: *mut *mut Sm2SecretKey,
    function: &'static str,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        let format = Sm2PrivateKeyFormat::from_c(format, "format")?;
        // SAFETY: the caller's contract above.
        let password = unsafe { input(password, password_len, "password") }?;
        // SAFETY: the caller's contract above.
        let key_out = unsafe { OutParam::new(key_out, "key_out") }?;
        let limits = Pbes2Limits::DEFAULT.with_max_iterations(checked_iterations(max_iterations)?);
        let key = match format {
            Sm2PrivateKeyFormat::Pkcs8Der => {
                SecretKey::from_pkcs8_encrypted_der_with_limits(data, password, &limits)?
            }
            Sm2PrivateKeyFormat::Pkcs8Pem => SecretKey::from_pkcs8_encrypted_der_with_limits(
                &pem_body(data, &["ENCRYPTED PRIVATE KEY"], "an encrypted private key")?,
                password,
                &limits,
            )?,
            other => return Err(only_pkcs8(other, function)),
        };
        key_out.put_handle(Sm2SecretKey::new(key));
        Ok(())
    })
}

/// `iterations` if it lies in 1 to [`MAX_PBKDF2_ITERATIONS`].
fn checked_iterations(iterations: u32) -> Result<u32, Error> {
    if (1..=MAX_PBKDF2_ITERATIONS).contains(&iterations) {
        Ok(iterations)
    } else {
        Err(Error::IterationsOutOfRange {
            iterations,
            max: MAX_PBKDF2_ITERATIONS,
        })
    }
}

/// Writes the private key protected by `password` as PKCS#8 `EncryptedPrivateKeyInfo` in
/// `format` (`SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER` or `_PKCS8_PEM`, PEM label
/// `ENCRYPTED PRIVATE KEY`, no terminating NUL), with the cipher and PRF named by `protection`
/// (a `smtrust_sm2_key_protection`), `iterations` PBKDF2 rounds (1 to 10,000,000; 65,536 or
/// more is advisable) and a fresh 16-byte salt and IV from the operating system.
///
/// The salt and IV differ on every call but the length does not, so the two-call pattern works;
/// each call runs PBKDF2 once.
///
/// # Safety
///
/// `key` is a live handle; `password` is NULL (only with length 0) or valid for its length;
/// `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_export_encrypted(
    key: *const Sm2SecretKey,
    format: u32,
    protection: u32,
    iterations: u32,
    password: *const u8,
    password_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        let format = Sm2PrivateKeyFormat::from_c(format, "format")?;
        let protection = Sm2KeyProtection::from_c(protection, "protection")?;
        let iterations = checked_iterations(iterations)?;
        // SAFETY: the caller's contract above.
        let password = unsafe { input(password, password_len, "password") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let (cipher, prf) = match protection {
            Sm2KeyProtection::Sm4CbcHmacSm3 => (KeyCipher::Sm4Cbc, Pbkdf2Prf::HmacSm3),
            Sm2KeyProtection::Sm4CbcHmacSha256 => (KeyCipher::Sm4Cbc, Pbkdf2Prf::HmacSha256),
            Sm2KeyProtection::Aes256CbcHmacSha256 => (KeyCipher::Aes256Cbc, Pbkdf2Prf::HmacSha256),
        };
        let protection = KeyProtection {
            cipher,
            prf,
            iterations,
        };
        let rng = &mut getrandom::SysRng;
        let encoded = match format {
            Sm2PrivateKeyFormat::Pkcs8Der => {
                key.to_pkcs8_encrypted_der(password, &protection, rng)?
            }
            Sm2PrivateKeyFormat::Pkcs8Pem => key
                .to_pkcs8_encrypted_pem(password, &protection, rng)?
                .into_bytes(),
            other => return Err(only_pkcs8(other, "smtrust_sm2_secret_key_export_encrypted")),
        };
        output.deliver(&encoded)
    })
}

fn only_pkcs8(format: Sm2PrivateKeyFormat, function: &'static str) -> Error {
    Error::UnsupportedValue {
        param: "format",
        value: private_format_name(format),
        function,
        reason: "only PKCS#8 keys are password-protected; use PKCS8_DER or PKCS8_PEM",
    }
}

fn private_format_name(format: Sm2PrivateKeyFormat) -> &'static str {
    match format {
        Sm2PrivateKeyFormat::Pkcs8Der => "SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER",
        Sm2PrivateKeyFormat::Pkcs8Pem => "SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM",
        Sm2PrivateKeyFormat::Sec1Der => "SMTRUST_SM2_PRIVATE_KEY_FORMAT_SEC1_DER",
        Sm2PrivateKeyFormat::Sec1Pem => "SMTRUST_SM2_PRIVATE_KEY_FORMAT_SEC1_PEM",
        Sm2PrivateKeyFormat::Raw => "SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW",
    }
}
