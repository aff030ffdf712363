//! SM2 key handles: generate, import, export, derive the public key, free.

use zeroize::Zeroizing;

use super::boundary::call;
use super::formats::{FromC, Sm2PrivateKeyFormat, Sm2PublicKeyFormat};
use super::handle::{self, Handle, OutParam, Output, input};
use super::{Error, Status};
use crate::sm2::{self, EncryptingKey, PublicKey, SecretKey};

/// An SM2 private key held by the library (`smtrust_sm2_secret_key` in C). The scalar is wiped
/// when the handle is freed. Immutable once made: it may be used from several threads at once,
/// but must not be freed while another thread uses it.
pub struct Sm2SecretKey {
    magic: u64,
    key: SecretKey,
}

/// An SM2 public key held by the library (`smtrust_sm2_public_key` in C). Immutable once made:
/// it may be used from several threads at once, but must not be freed while another thread
/// uses it. It is held as an [`EncryptingKey`], so a handle used for several encryptions
/// keeps its key's precomputed multiples from the second on (built once, thread-safely).
pub struct Sm2PublicKey {
    magic: u64,
    key: EncryptingKey,
}

impl Handle for Sm2SecretKey {
    const MAGIC: u64 = 0x534d_5432_5345_4331; // "SMT2SEC1"
    const C_NAME: &'static str = "smtrust_sm2_secret_key";
    fn magic(&self) -> u64 {
        self.magic
    }
}

impl Handle for Sm2PublicKey {
    const MAGIC: u64 = 0x534d_5432_5055_4231; // "SMT2PUB1"
    const C_NAME: &'static str = "smtrust_sm2_public_key";
    fn magic(&self) -> u64 {
        self.magic
    }
}

impl Sm2SecretKey {
    /// A handle for `key`.
    pub(super) fn new(key: SecretKey) -> Self {
        Self {
            magic: Self::MAGIC,
            key,
        }
    }

    /// The key inside.
    pub(super) fn key(&self) -> &SecretKey {
        &self.key
    }
}

impl Sm2PublicKey {
    fn new(key: PublicKey) -> Self {
        Self {
            magic: Self::MAGIC,
            key: EncryptingKey::new(key),
        }
    }

    /// The key inside.
    pub(super) fn key(&self) -> &PublicKey {
        self.key.public_key()
    }

    /// The key inside, with its encryption tables.
    pub(super) fn encrypting_key(&self) -> &EncryptingKey {
        &self.key
    }
}

/// Generates a fresh private key (GB/T 32918.1 §6.1) from the operating system's random number
/// generator and writes its new handle to `*key_out`.
///
/// # Safety
///
/// `key_out` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_generate(
    key_out: *mut *mut Sm2SecretKey,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key_out = unsafe { OutParam::new(key_out, "key_out") }?;
        let key = SecretKey::generate(&mut getrandom::SysRng)?;
        key_out.put_handle(Sm2SecretKey::new(key));
        Ok(())
    })
}

/// Reads a private key encoded as `format` (a `smtrust_sm2_private_key_format`) and writes its
/// new handle to `*key_out`. Scalars outside [1, n − 2] are refused; PEM must carry the label
/// of its format.
///
/// # Safety
///
/// `data` is NULL (only with `data_len` 0) or valid for `data_len` bytes; `key_out` is valid
/// for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_import(
    data: *const u8,
    data_len: usize,
    format: u32,
    key_out: *mut *mut Sm2SecretKey,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        let format = Sm2PrivateKeyFormat::from_c(format, "format")?;
        // SAFETY: the caller's contract above.
        let key_out = unsafe { OutParam::new(key_out, "key_out") }?;
        let key = match format {
            Sm2PrivateKeyFormat::Pkcs8Der => SecretKey::from_pkcs8_der(data)?,
            Sm2PrivateKeyFormat::Pkcs8Pem => {
                SecretKey::from_pkcs8_der(&pem_body(data, &["PRIVATE KEY"], "a PKCS#8 key")?)?
            }
            Sm2PrivateKeyFormat::Sec1Der => SecretKey::from_sec1_der(data)?,
            Sm2PrivateKeyFormat::Sec1Pem => SecretKey::from_sec1_der(&pem_body(
                data,
                &["EC PRIVATE KEY", sm2::OPENSSL_SM2_SEC1_LABEL],
                "a SEC1 key",
            )?)?,
            Sm2PrivateKeyFormat::Raw => SecretKey::from_bytes(data)?,
        };
        key_out.put_handle(Sm2SecretKey::new(key));
        Ok(())
    })
}

/// Writes the private key encoded as `format` (a `smtrust_sm2_private_key_format`). PEM is
/// written without a terminating NUL. The output is secret: wipe it after use.
///
/// # Safety
///
/// `key` is a live handle; `out` is NULL or valid for `out_len` bytes; `written` is valid for
/// one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_export(
    key: *const Sm2SecretKey,
    format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        let format = Sm2PrivateKeyFormat::from_c(format, "format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let encoded: Zeroizing<Vec<u8>> = match format {
            Sm2PrivateKeyFormat::Pkcs8Der => key.to_pkcs8_der(),
            Sm2PrivateKeyFormat::Pkcs8Pem => Zeroizing::new(key.to_pkcs8_pem().as_bytes().to_vec()),
            Sm2PrivateKeyFormat::Sec1Der => key.to_sec1_der(),
            Sm2PrivateKeyFormat::Sec1Pem => {
                Zeroizing::new(key.to_sec1_pem("EC PRIVATE KEY").as_bytes().to_vec())
            }
            Sm2PrivateKeyFormat::Raw => Zeroizing::new(key.to_bytes().to_vec()),
        };
        output.deliver(&encoded)
    })
}

/// Writes a new handle to the public key of `key` to `*public_key_out`.
///
/// # Safety
///
/// `key` is a live handle; `public_key_out` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_public_key(
    key: *const Sm2SecretKey,
    public_key_out: *mut *mut Sm2PublicKey,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        // SAFETY: the caller's contract above.
        let public_key_out = unsafe { OutParam::new(public_key_out, "public_key_out") }?;
        public_key_out.put_handle(Sm2PublicKey::new(key.public_key()));
        Ok(())
    })
}

/// Frees a private-key handle and wipes the key. NULL is accepted and does nothing; a pointer
/// that is not a live `smtrust_sm2_secret_key` (for instance one freed already) gives
/// `SMTRUST_STATUS_INVALID_HANDLE` and is left alone.
///
/// # Safety
///
/// No other thread uses `key` during or after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_secret_key_free(key: *mut Sm2SecretKey) -> Status {
    // SAFETY: the caller's contract above.
    call(|| unsafe { handle::free(key, "key") })
}

/// Reads a public key encoded as `format` (a `smtrust_sm2_public_key_format`) and writes its
/// new handle to `*key_out`. The point must be on the curve and not the identity.
///
/// # Safety
///
/// `data` is NULL (only with `data_len` 0) or valid for `data_len` bytes; `key_out` is valid
/// for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_public_key_import(
    data: *const u8,
    data_len: usize,
    format: u32,
    key_out: *mut *mut Sm2PublicKey,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        let format = Sm2PublicKeyFormat::from_c(format, "format")?;
        // SAFETY: the caller's contract above.
        let key_out = unsafe { OutParam::new(key_out, "key_out") }?;
        let key = match format {
            Sm2PublicKeyFormat::SpkiDer => PublicKey::from_spki_der(data)?,
            Sm2PublicKeyFormat::SpkiPem => {
                PublicKey::from_spki_der(&pem_body(data, &["PUBLIC KEY"], "a public key")?)?
            }
            Sm2PublicKeyFormat::PointUncompressed => point(data, 0x04, 65)?,
            Sm2PublicKeyFormat::PointCompressed => point(data, 0x02, 33)?,
        };
        key_out.put_handle(Sm2PublicKey::new(key));
        Ok(())
    })
}

/// Writes the public key encoded as `format` (a `smtrust_sm2_public_key_format`). PEM is
/// written without a terminating NUL.
///
/// # Safety
///
/// `key` is a live handle; `out` is NULL or valid for `out_len` bytes; `written` is valid for
/// one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_public_key_export(
    key: *const Sm2PublicKey,
    format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        let format = Sm2PublicKeyFormat::from_c(format, "format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        match format {
            Sm2PublicKeyFormat::SpkiDer => output.deliver(&key.to_spki_der()),
            Sm2PublicKeyFormat::SpkiPem => output.deliver(key.to_pem().as_bytes()),
            Sm2PublicKeyFormat::PointUncompressed => output.deliver(&key.to_uncompressed()),
            Sm2PublicKeyFormat::PointCompressed => output.deliver(&key.to_compressed()),
        }
    })
}

/// Frees a public-key handle. NULL is accepted and does nothing; a pointer that is not a live
/// `smtrust_sm2_public_key` gives `SMTRUST_STATUS_INVALID_HANDLE` and is left alone.
///
/// # Safety
///
/// No other thread uses `key` during or after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_public_key_free(key: *mut Sm2PublicKey) -> Status {
    // SAFETY: the caller's contract above.
    call(|| unsafe { handle::free(key, "key") })
}

/// The DER inside one PEM block whose label is one of `labels`.
pub(super) fn pem_body(
    pem: &[u8],
    labels: &[&'static str],
    expected: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let text = core::str::from_utf8(pem).map_err(|_| sm2::Error::KeyEncoding {
        format: "PEM",
        reason: "the data is not text, so it is not PEM (DER given by mistake?)".to_owned(),
    })?;
    let (label, der) =
        der::pem::decode_vec(text.trim().as_bytes()).map_err(|err| sm2::Error::KeyEncoding {
            format: "PEM",
            reason: err.to_string(),
        })?;
    let der = Zeroizing::new(der);
    if labels.contains(&label) {
        Ok(der)
    } else {
        Err(sm2::Error::UnexpectedPemLabel {
            label: label.to_owned(),
            expected,
        }
        .into())
    }
}

/// A SEC1 point of exactly the form asked for: `04` and 65 bytes, or `02`/`03` and 33 bytes.
fn point(bytes: &[u8], prefix: u8, len: usize) -> Result<PublicKey, Error> {
    let form_ok = bytes.len() == len
        && bytes
            .first()
            .is_some_and(|first| *first == prefix || (prefix == 0x02 && *first == 0x03));
    if !form_ok {
        return Err(sm2::Error::PointEncoding {
            reason: if len == 65 {
                "an uncompressed point is 65 bytes starting with 04"
            } else {
                "a compressed point is 33 bytes starting with 02 or 03"
            },
        }
        .into());
    }
    Ok(PublicKey::from_sec1_bytes(bytes)?)
}
