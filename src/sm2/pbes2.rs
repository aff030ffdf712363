//! Password-protected private keys: PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3) with PBES2
//! (RFC 8018 §6.2): PBKDF2 with HMAC-SHA1, HMAC-SHA256 or HMAC-SM3, and AES-128-CBC,
//! AES-256-CBC or SM4-CBC (GM/T 0006 OID 1.2.156.10197.1.104.2, which the `pkcs5` crate lacks).

use cipher::block_padding::{NoPadding, Pkcs7};
use cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit,
};
use der::asn1::{AnyRef, OctetStringRef};
use der::{Decode, Encode, Sequence};
use rand_core::TryCryptoRng;
use spki::AlgorithmIdentifierRef;
use zeroize::{Zeroize, Zeroizing};

use super::key_encoding::{pem_armour, pem_decode};
use super::oid;
use super::{Error, SecretKey};

/// The most PBKDF2 iterations a key file may ask for. OpenSSL 3 writes 2048 and GmSSL 65536;
/// a file asking for more than this limit is refused rather than left to spin the reader.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// What reading a password-protected key may cost its reader: a cap on the PBKDF2 iteration
/// count the key file asks for, checked before any key derivation.
///
/// [`SecretKey::from_pkcs8_encrypted_der`] and `_pem` use [`Pbes2Limits::DEFAULT`], whose cap is
/// [`MAX_PBKDF2_ITERATIONS`] and takes seconds per key. A service that decrypts keys from
/// untrusted parties lowers the cap to what its own key files use and reads them with
/// [`SecretKey::from_pkcs8_encrypted_der_with_limits`]; a file over the cap gives
/// [`Error::TooManyIterations`] naming the count found and the cap.
///
/// ```
/// use smtrust::sm2::{Error, KeyProtection, Pbes2Limits, SecretKey};
///
/// let key = SecretKey::generate(&mut getrandom::SysRng)?;
/// let protection = KeyProtection { iterations: 4096, ..KeyProtection::default() };
/// let der = key.to_pkcs8_encrypted_der(b"pass", &protection, &mut getrandom::SysRng)?;
///
/// let limits = Pbes2Limits::DEFAULT.with_max_iterations(2048);
/// assert_eq!(
///     SecretKey::from_pkcs8_encrypted_der_with_limits(&der, b"pass", &limits).unwrap_err(),
///     Error::TooManyIterations { iterations: 4096, limit: 2048 },
/// );
/// let limits = Pbes2Limits::DEFAULT.with_max_iterations(4096);
/// let again = SecretKey::from_pkcs8_encrypted_der_with_limits(&der, b"pass", &limits)?;
/// assert_eq!(again.public_key(), key.public_key());
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pbes2Limits {
    max_iterations: u32,
}

impl Pbes2Limits {
    /// The limits of [`SecretKey::from_pkcs8_encrypted_der`]: at most
    /// [`MAX_PBKDF2_ITERATIONS`] iterations.
    pub const DEFAULT: Self = Self {
        max_iterations: MAX_PBKDF2_ITERATIONS,
    };

    /// These limits with at most `max_iterations` PBKDF2 iterations. The cap never rises above
    /// [`MAX_PBKDF2_ITERATIONS`]: a larger value is lowered to it. A cap of 0 refuses every key.
    #[must_use]
    pub const fn with_max_iterations(self, max_iterations: u32) -> Self {
        let max_iterations = if max_iterations < MAX_PBKDF2_ITERATIONS {
            max_iterations
        } else {
            MAX_PBKDF2_ITERATIONS
        };
        Self { max_iterations }
    }

    /// The most PBKDF2 iterations a key file may ask for under these limits.
    pub const fn max_iterations(self) -> u32 {
        self.max_iterations
    }
}

impl Default for Pbes2Limits {
    /// [`Pbes2Limits::DEFAULT`].
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The pseudo-random function of PBKDF2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pbkdf2Prf {
    /// HMAC-SHA1, PBKDF2's default (read only; never written).
    HmacSha1,
    /// HMAC-SHA256, what OpenSSL 3 writes.
    HmacSha256,
    /// HMAC-SM3, what GmSSL writes (OID 1.2.156.10197.1.401.2).
    HmacSm3,
}

/// The cipher that encrypts the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyCipher {
    /// AES-128 in CBC mode with PKCS#7 padding.
    Aes128Cbc,
    /// AES-256 in CBC mode with PKCS#7 padding.
    Aes256Cbc,
    /// SM4 in CBC mode with PKCS#7 padding.
    Sm4Cbc,
}

impl KeyCipher {
    fn key_len(self) -> usize {
        match self {
            Self::Aes128Cbc | Self::Sm4Cbc => 16,
            Self::Aes256Cbc => 32,
        }
    }
}

/// How to protect a private key with a password.
///
/// ```
/// use smtrust::sm2::{KeyCipher, KeyProtection, Pbkdf2Prf, SecretKey};
///
/// let key = SecretKey::generate(&mut getrandom::SysRng)?;
/// let protection = KeyProtection { cipher: KeyCipher::Sm4Cbc, prf: Pbkdf2Prf::HmacSm3, iterations: 2048 };
/// let pem = key.to_pkcs8_encrypted_pem(b"pass", &protection, &mut getrandom::SysRng)?;
/// let again = SecretKey::from_pkcs8_encrypted_pem(&pem, b"pass")?;
/// assert_eq!(again.public_key(), key.public_key());
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyProtection {
    /// The cipher.
    pub cipher: KeyCipher,
    /// PBKDF2's pseudo-random function.
    pub prf: Pbkdf2Prf,
    /// PBKDF2 iterations, 1 to [`MAX_PBKDF2_ITERATIONS`].
    pub iterations: u32,
}

impl Default for KeyProtection {
    /// SM4-CBC with PBKDF2-HMAC-SM3 and 65536 iterations.
    fn default() -> Self {
        Self {
            cipher: KeyCipher::Sm4Cbc,
            prf: Pbkdf2Prf::HmacSm3,
            iterations: 65_536,
        }
    }
}

/// `EncryptedPrivateKeyInfo` (RFC 5958 §3).
#[derive(Sequence)]
struct EncryptedPrivateKeyInfo<'a> {
    encryption_algorithm: AlgorithmIdentifierRef<'a>,
    encrypted_data: &'a OctetStringRef,
}

/// `PBES2-params` (RFC 8018 §A.4).
#[derive(Sequence)]
struct Pbes2Params<'a> {
    key_derivation_func: AlgorithmIdentifierRef<'a>,
    encryption_scheme: AlgorithmIdentifierRef<'a>,
}

/// `PBKDF2-params` (RFC 8018 §A.2), the salt as an explicit OCTET STRING.
#[derive(Sequence)]
struct Pbkdf2Params<'a> {
    salt: &'a OctetStringRef,
    iteration_count: u64,
    key_length: Option<u64>,
    prf: Option<AlgorithmIdentifierRef<'a>>,
}

struct Pbes2 {
    prf: Pbkdf2Prf,
    cipher: KeyCipher,
    iterations: u32,
    salt: Vec<u8>,
    iv: [u8; 16],
}

fn unsupported(oid: der::asn1::ObjectIdentifier) -> Error {
    Error::UnsupportedKeyEncryption {
        oid: oid.to_string(),
    }
}

fn malformed(err: der::Error) -> Error {
    Error::KeyEncoding {
        format: "encrypted PKCS#8",
        reason: err.to_string(),
    }
}

fn parse_pbes2(
    algorithm: &AlgorithmIdentifierRef<'_>,
    limits: &Pbes2Limits,
) -> Result<Pbes2, Error> {
    if algorithm.oid != oid::PBES2 {
        return Err(unsupported(algorithm.oid));
    }
    let params: Pbes2Params<'_> = decode_parameters(algorithm)?;
    let kdf = &params.key_derivation_func;
    if kdf.oid != oid::PBKDF2 {
        return Err(unsupported(kdf.oid));
    }
    let kdf_params: Pbkdf2Params<'_> = decode_parameters(kdf)?;
    let prf = match kdf_params.prf.map(|prf| prf.oid) {
        None | Some(oid::HMAC_WITH_SHA1) => Pbkdf2Prf::HmacSha1,
        Some(oid::HMAC_WITH_SHA256) => Pbkdf2Prf::HmacSha256,
        Some(oid::HMAC_WITH_SM3) => Pbkdf2Prf::HmacSm3,
        Some(other) => return Err(unsupported(other)),
    };
    let scheme = &params.encryption_scheme;
    let cipher = match scheme.oid {
        oid::AES_128_CBC => KeyCipher::Aes128Cbc,
        oid::AES_256_CBC => KeyCipher::Aes256Cbc,
        oid::SM4_CBC => KeyCipher::Sm4Cbc,
        other => return Err(unsupported(other)),
    };
    if let Some(length) = kdf_params.key_length
        && usize::try_from(length).ok() != Some(cipher.key_len())
    {
        return Err(Error::KeyEncoding {
            format: "encrypted PKCS#8",
            reason: format!("PBKDF2 keyLength {length} does not fit the cipher"),
        });
    }
    let limit = limits.max_iterations();
    let iterations = u32::try_from(kdf_params.iteration_count)
        .ok()
        .filter(|n| (1..=limit).contains(n))
        .ok_or(Error::TooManyIterations {
            iterations: kdf_params.iteration_count,
            limit,
        })?;
    let iv: &OctetStringRef = decode_parameters(scheme)?;
    let iv = iv.as_bytes().try_into().map_err(|_| Error::KeyEncoding {
        format: "encrypted PKCS#8",
        reason: "the CBC IV is not 16 bytes".to_owned(),
    })?;
    Ok(Pbes2 {
        prf,
        cipher,
        iterations,
        salt: kdf_params.salt.as_bytes().to_vec(),
        iv,
    })
}

fn decode_parameters<'a, T: der::Choice<'a> + der::DecodeValue<'a, Error = der::Error>>(
    algorithm: &AlgorithmIdentifierRef<'a>,
) -> Result<T, Error> {
    algorithm
        .parameters
        .ok_or_else(|| Error::KeyEncoding {
            format: "encrypted PKCS#8",
            reason: format!("algorithm {} has no parameters", algorithm.oid),
        })?
        .decode_as::<T>()
        .map_err(malformed)
}

fn derive_key(params: &Pbes2, password: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(vec![0u8; params.cipher.key_len()]);
    let (salt, rounds) = (&params.salt, params.iterations);
    match params.prf {
        Pbkdf2Prf::HmacSha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, &mut key),
        Pbkdf2Prf::HmacSha256 => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, &mut key)
        }
        Pbkdf2Prf::HmacSm3 => pbkdf2::pbkdf2_hmac::<::sm3::Sm3>(password, salt, rounds, &mut key),
    }
    key
}

impl SecretKey {
    /// Reads a password-protected PKCS#8 key (DER `EncryptedPrivateKeyInfo`) that asks for at
    /// most [`MAX_PBKDF2_ITERATIONS`] PBKDF2 iterations ([`Pbes2Limits::DEFAULT`]).
    ///
    /// A wrong password and damaged data give the same [`Error::KeyDecryptionFailed`].
    pub fn from_pkcs8_encrypted_der(der: &[u8], password: &[u8]) -> Result<Self, Error> {
        Self::from_pkcs8_encrypted_der_with_limits(der, password, &Pbes2Limits::DEFAULT)
    }

    /// Reads a password-protected PKCS#8 key (DER `EncryptedPrivateKeyInfo`) within `limits`:
    /// a key asking for more PBKDF2 iterations than `limits` allow gives
    /// [`Error::TooManyIterations`] before any key derivation.
    ///
    /// A wrong password and damaged data give the same [`Error::KeyDecryptionFailed`].
    pub fn from_pkcs8_encrypted_der_with_limits(
        der: &[u8],
        password: &[u8],
        limits: &Pbes2Limits,
    ) -> Result<Self, Error> {
        let info = EncryptedPrivateKeyInfo::from_der(der).map_err(malformed)?;
        let params = parse_pbes2(&info.encryption_algorithm, limits)?;
        let key = derive_key(&params, password);
        let plaintext = cbc_decrypt(
            params.cipher,
            &key,
            &params.iv,
            info.encrypted_data.as_bytes(),
        )
        .ok_or(Error::KeyDecryptionFailed)?;
        Self::from_pkcs8_der(&plaintext).map_err(|_| Error::KeyDecryptionFailed)
    }

    /// Reads a password-protected PKCS#8 key in PEM (`ENCRYPTED PRIVATE KEY`) that asks for at
    /// most [`MAX_PBKDF2_ITERATIONS`] PBKDF2 iterations ([`Pbes2Limits::DEFAULT`]).
    pub fn from_pkcs8_encrypted_pem(pem: &str, password: &[u8]) -> Result<Self, Error> {
        Self::from_pkcs8_encrypted_pem_with_limits(pem, password, &Pbes2Limits::DEFAULT)
    }

    /// Reads a password-protected PKCS#8 key in PEM (`ENCRYPTED PRIVATE KEY`) within `limits`,
    /// as [`SecretKey::from_pkcs8_encrypted_der_with_limits`] does.
    pub fn from_pkcs8_encrypted_pem_with_limits(
        pem: &str,
        password: &[u8],
        limits: &Pbes2Limits,
    ) -> Result<Self, Error> {
        let (label, der) = pem_decode(pem)?;
        if label != "ENCRYPTED PRIVATE KEY" {
            return Err(Error::UnexpectedPemLabel {
                label,
                expected: "an encrypted private key",
            });
        }
        Self::from_pkcs8_encrypted_der_with_limits(&der, password, limits)
    }

    /// Writes the key as a password-protected PKCS#8 `EncryptedPrivateKeyInfo` in DER, with a
    /// fresh 16-byte salt and IV from `rng`.
    pub fn to_pkcs8_encrypted_der<R: TryCryptoRng + ?Sized>(
        &self,
        password: &[u8],
        protection: &KeyProtection,
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        if !(1..=MAX_PBKDF2_ITERATIONS).contains(&protection.iterations) {
            return Err(Error::TooManyIterations {
                iterations: protection.iterations.into(),
                limit: MAX_PBKDF2_ITERATIONS,
            });
        }
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        rng.try_fill_bytes(&mut salt).map_err(|_| Error::Rng)?;
        rng.try_fill_bytes(&mut iv).map_err(|_| Error::Rng)?;
        let params = Pbes2 {
            prf: protection.prf,
            cipher: protection.cipher,
            iterations: protection.iterations,
            salt: salt.to_vec(),
            iv,
        };
        let key = derive_key(&params, password);
        let ciphertext = cbc_encrypt(params.cipher, &key, &iv, &self.to_pkcs8_der());
        encode_encrypted(&params, &ciphertext).map_err(malformed)
    }

    /// Writes the key as a password-protected PKCS#8 PEM (`ENCRYPTED PRIVATE KEY`).
    pub fn to_pkcs8_encrypted_pem<R: TryCryptoRng + ?Sized>(
        &self,
        password: &[u8],
        protection: &KeyProtection,
        rng: &mut R,
    ) -> Result<String, Error> {
        let der = self.to_pkcs8_encrypted_der(password, protection, rng)?;
        Ok(pem_armour("ENCRYPTED PRIVATE KEY", &der).to_string())
    }
}

/// Whether `der` is a PBES2 `EncryptedPrivateKeyInfo` this module can decrypt, judged from the
/// envelope alone (no key derivation).
pub(crate) fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    EncryptedPrivateKeyInfo::from_der(der)
        .is_ok_and(|info| parse_pbes2(&info.encryption_algorithm, &Pbes2Limits::DEFAULT).is_ok())
}

fn encode_encrypted(params: &Pbes2, ciphertext: &[u8]) -> der::Result<Vec<u8>> {
    let prf_oid = match params.prf {
        Pbkdf2Prf::HmacSha1 => oid::HMAC_WITH_SHA1,
        Pbkdf2Prf::HmacSha256 => oid::HMAC_WITH_SHA256,
        Pbkdf2Prf::HmacSm3 => oid::HMAC_WITH_SM3,
    };
    let cipher_oid = match params.cipher {
        KeyCipher::Aes128Cbc => oid::AES_128_CBC,
        KeyCipher::Aes256Cbc => oid::AES_256_CBC,
        KeyCipher::Sm4Cbc => oid::SM4_CBC,
    };
    let null = der::asn1::Null.to_der()?;
    let kdf_params = Pbkdf2Params {
        salt: OctetStringRef::new(&params.salt)?,
        iteration_count: params.iterations.into(),
        key_length: None,
        prf: Some(AlgorithmIdentifierRef {
            oid: prf_oid,
            parameters: Some(AnyRef::from_der(&null)?),
        }),
    }
    .to_der()?;
    let iv = OctetStringRef::new(&params.iv)?.to_der()?;
    let pbes2_params = Pbes2Params {
        key_derivation_func: AlgorithmIdentifierRef {
            oid: oid::PBKDF2,
            parameters: Some(AnyRef::from_der(&kdf_params)?),
        },
        encryption_scheme: AlgorithmIdentifierRef {
            oid: cipher_oid,
            parameters: Some(AnyRef::from_der(&iv)?),
        },
    }
    .to_der()?;
    EncryptedPrivateKeyInfo {
        encryption_algorithm: AlgorithmIdentifierRef {
            oid: oid::PBES2,
            parameters: Some(AnyRef::from_der(&pbes2_params)?),
        },
        encrypted_data: OctetStringRef::new(ciphertext)?,
    }
    .to_der()
}

fn cbc_encrypt(cipher: KeyCipher, key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
    match cipher {
        KeyCipher::Aes128Cbc => cbc_encrypt_with::<aes::Aes128>(key, iv, plaintext),
        KeyCipher::Aes256Cbc => cbc_encrypt_with::<aes::Aes256>(key, iv, plaintext),
        KeyCipher::Sm4Cbc => cbc_encrypt_with::<sm4::Sm4>(key, iv, plaintext),
    }
}

fn cbc_encrypt_with<C: BlockCipherEncrypt + KeyInit>(
    key: &[u8],
    iv: &[u8; 16],
    plaintext: &[u8],
) -> Vec<u8> {
    // Invariant: `derive_key` makes a key of the cipher's length and IVs are 16 bytes.
    cbc::Encryptor::<C>::new_from_slices(key, iv)
        .map(|mode| mode.encrypt_padded_vec::<Pkcs7>(plaintext))
        .unwrap_or_default()
}

/// CBC decryption with strict PKCS#7 unpadding; `None` for any failure, so that nothing tells
/// a wrong password from a bad pad.
fn cbc_decrypt(
    cipher: KeyCipher,
    key: &[u8],
    iv: &[u8; 16],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
        return None;
    }
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    match cipher {
        KeyCipher::Aes128Cbc => cbc_decrypt_with::<aes::Aes128>(key, iv, &mut buffer)?,
        KeyCipher::Aes256Cbc => cbc_decrypt_with::<aes::Aes256>(key, iv, &mut buffer)?,
        KeyCipher::Sm4Cbc => cbc_decrypt_with::<sm4::Sm4>(key, iv, &mut buffer)?,
    }
    let unpadded_len = crate::sm4::Padding::Pkcs7.unpadded_len(&buffer).ok()?;
    buffer[unpadded_len..].zeroize();
    buffer.truncate(unpadded_len);
    Some(buffer)
}

fn cbc_decrypt_with<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8; 16],
    buffer: &mut [u8],
) -> Option<()> {
    let mode = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    mode.decrypt_padded::<NoPadding>(buffer).ok().map(|_| ())
}
