//! The default [`KeyProvider`]: one key-encryption key in a file on local disk, wrapping data
//! keys with SM4-GCM.
//!
//! The file holds the 16-byte KEK as 32 hexadecimal digits and an optional line feed, and
//! nothing else. [`LocalKeyFile::create`] writes a fresh one that only its owner can read.
//! A wrapping is `nonce (12) ‖ SM4-GCM ciphertext of the data key (16) ‖ tag (16)`, with
//! associated data `"smtrust realname data key" ‖ 0x00 ‖ context`.

use core::fmt;
use std::io::Write;
use std::path::Path;

use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::blind_index::check_key_id;
use super::{DATA_KEY_LEN, DataKey, Error, KeyProvider, WrappedKey};
use crate::sm4::{self, Nonce};

const WRAP_LABEL: &[u8] = b"smtrust realname data key\0";
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const WRAPPED_LEN: usize = NONCE_LEN + DATA_KEY_LEN + TAG_LEN;

/// A key-encryption key read from (or written to) a local file. The KEK is wiped on drop
/// and `Debug` shows only its name.
///
/// ```
/// use rand_core::SeedableRng;
/// use smtrust::realname::{DataKey, KeyProvider, LocalKeyFile};
///
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
/// let dir = std::env::temp_dir().join(format!("smtrust-doc-kek-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
/// let path = dir.join("kek-2026.hex");
/// # let _ = std::fs::remove_file(&path);
/// let provider = LocalKeyFile::create("kek-2026", &path, &mut rng)?;
/// let reopened = LocalKeyFile::open("kek-2026", &path)?;
///
/// let data_key = DataKey::generate(&mut rng);
/// let wrapped = provider.wrap("kek-2026", &data_key, b"slot 1", &mut rng)?;
/// let unwrapped = reopened.unwrap(&wrapped, b"slot 1")?;
/// assert_eq!(unwrapped.as_bytes_less_safe(), data_key.as_bytes_less_safe());
/// # std::fs::remove_file(&path).map_err(|e| e.to_string())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct LocalKeyFile {
    kek_id: String,
    kek: sm4::Key,
}

impl LocalKeyFile {
    /// Reads the KEK named `kek_id` from `path`.
    pub fn open(kek_id: &str, path: &Path) -> Result<Self, Error> {
        check_key_id(kek_id)?;
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| file_error(path, &e))?);
        let digits = text.strip_suffix('\n').unwrap_or(&text);
        let mut bytes = [0u8; DATA_KEY_LEN];
        if hex::decode_to_slice(digits, &mut bytes).is_err() {
            bytes.zeroize();
            return Err(Error::KekFile {
                path: path.display().to_string(),
                reason: "the file must hold exactly 32 hexadecimal digits".to_owned(),
            });
        }
        Ok(Self::from_kek_bytes_inner(kek_id, bytes))
    }

    /// Draws a fresh KEK from `rng` and writes it to `path`, which must not exist yet
    /// (on Unix the file is created readable by its owner only).
    pub fn create<R: CryptoRng + ?Sized>(
        kek_id: &str,
        path: &Path,
        rng: &mut R,
    ) -> Result<Self, Error> {
        check_key_id(kek_id)?;
        let mut bytes = [0u8; DATA_KEY_LEN];
        rng.fill_bytes(&mut bytes);
        let mut text = Zeroizing::new(hex::encode(bytes));
        text.push('\n');
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(path).and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        });
        if let Err(error) = written {
            bytes.zeroize();
            return Err(file_error(path, &error));
        }
        Ok(Self::from_kek_bytes_inner(kek_id, bytes))
    }

    /// A provider holding the KEK `kek` named `kek_id`, for keys kept elsewhere (tests, a
    /// secrets manager). The caller's copy of `kek` is the caller's to wipe.
    pub fn from_kek_bytes(kek_id: &str, kek: [u8; DATA_KEY_LEN]) -> Result<Self, Error> {
        check_key_id(kek_id)?;
        Ok(Self::from_kek_bytes_inner(kek_id, kek))
    }

    /// The KEK's name.
    pub fn kek_id(&self) -> &str {
        &self.kek_id
    }

    fn from_kek_bytes_inner(kek_id: &str, mut bytes: [u8; DATA_KEY_LEN]) -> Self {
        let kek = sm4::Key::new(bytes);
        bytes.zeroize();
        Self {
            kek_id: kek_id.to_owned(),
            kek,
        }
    }

    fn check_kek(&self, kek_id: &str) -> Result<(), Error> {
        if kek_id == self.kek_id {
            Ok(())
        } else {
            Err(Error::UnknownKek {
                kek_id: kek_id.to_owned(),
            })
        }
    }
}

impl KeyProvider for LocalKeyFile {
    fn wrap(
        &self,
        kek_id: &str,
        data_key: &DataKey,
        context: &[u8],
        rng: &mut dyn CryptoRng,
    ) -> Result<WrappedKey, Error> {
        self.check_kek(kek_id)?;
        let nonce = Nonce::generate(rng).map_err(|_| Error::WrapFailed {
            kek_id: kek_id.to_owned(),
        })?;
        let mut wrapped = nonce.as_bytes().to_vec();
        let sealed = sm4::gcm_seal(
            &self.kek,
            nonce,
            &associated_data(context),
            data_key.as_bytes_less_safe(),
        )
        .map_err(|_| Error::WrapFailed {
            kek_id: kek_id.to_owned(),
        })?;
        wrapped.extend_from_slice(&sealed);
        WrappedKey::new(kek_id, wrapped)
    }

    fn unwrap(&self, wrapped: &WrappedKey, context: &[u8]) -> Result<DataKey, Error> {
        self.check_kek(wrapped.kek_id())?;
        let failed = || Error::UnwrapFailed {
            kek_id: wrapped.kek_id().to_owned(),
        };
        let bytes = wrapped.wrapped();
        if bytes.len() != WRAPPED_LEN {
            return Err(failed());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| failed())?;
        let opened = Zeroizing::new(
            sm4::gcm_open(&self.kek, nonce, &associated_data(context), sealed)
                .map_err(|_| failed())?,
        );
        let key: [u8; DATA_KEY_LEN] = opened.as_slice().try_into().map_err(|_| failed())?;
        Ok(DataKey::from_bytes(key))
    }
}

impl fmt::Debug for LocalKeyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalKeyFile")
            .field("kek_id", &self.kek_id)
            .finish_non_exhaustive()
    }
}

fn associated_data(context: &[u8]) -> Vec<u8> {
    [WRAP_LABEL, context].concat()
}

fn file_error(path: &Path, error: &std::io::Error) -> Error {
    Error::KekFile {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}
