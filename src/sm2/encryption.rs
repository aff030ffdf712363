//! SM2 public-key encryption (GB/T 32918.4-2016 §6 and §7) and the ciphertext layouts peers
//! use.
//!
//! Encryption of M under P_B, §6.1: A1 k in [1, n − 1]; A2 C1 = [k]G; A3 [h]P_B ≠ O (h = 1 for
//! the SM2 curve, so this is P_B ≠ O, which [`PublicKey`] guarantees); A4 (x2, y2) = [k]P_B;
//! A5 t = KDF(x2 ‖ y2, klen), back to A1 if t is all zero; A6 C2 = M ⊕ t; A7 C3 =
//! SM3(x2 ‖ M ‖ y2); A8 the ciphertext is C1, C2, C3 in one of the layouts of
//! [`CiphertextFormat`].
//!
//! Decryption, §7.1: B1 C1 must be on the curve; B2 [h]C1 ≠ O; B3 (x2, y2) = [d_B]C1; B4 t =
//! KDF(x2 ‖ y2, klen), error if all zero; B5 M′ = C2 ⊕ t; B6 u = SM3(x2 ‖ M′ ‖ y2), error
//! unless u = C3; B7 the plaintext is M′.

use der::asn1::{OctetStringRef, UintRef};
use der::{Decode, Encode};
use rand_core::TryCryptoRng;
use sm2::elliptic_curve::Group;
use sm2::elliptic_curve::PrimeField;
use sm2::elliptic_curve::subtle::{Choice, ConstantTimeEq};
use sm2::{AffinePoint, ProjectivePoint, Scalar};
use zeroize::{Zeroize, Zeroizing};

use super::arith::{self, PreparedPoint};
use super::curve::{self, FIELD_LEN};
use super::second_use::BuiltOnSecondUse;
use super::{Error, PublicKey, SecretKey};
use crate::sm3;

/// How many ephemeral keys one encryption may try; t is all zero with probability about
/// 2^(−8·klen), so a second try means the RNG is broken.
const MAX_EPHEMERAL_TRIES: usize = 8;

/// The layouts of an SM2 ciphertext. Each is a distinct value: nothing is guessed on output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CiphertextFormat {
    /// GM/T 0009 §7.2 `SM2Cipher ::= SEQUENCE { XCoordinate INTEGER, YCoordinate INTEGER,
    /// HASH OCTET STRING (32), CipherText OCTET STRING }` — what OpenSSL, GmSSL and CMS use.
    Der,
    /// `04 ‖ x1 ‖ y1 ‖ C3 ‖ C2`: the order of GB/T 32918.4-2016.
    C1C3C2,
    /// `04 ‖ x1 ‖ y1 ‖ C2 ‖ C3`: the order of the 2010 draft, still common in old systems.
    C1C2C3,
    /// `x1 ‖ y1 ‖ C3 ‖ C2` without the `04` prefix (sm-crypto, gmssl for Python).
    C1C3C2NoPrefix,
    /// `x1 ‖ y1 ‖ C2 ‖ C3` without the `04` prefix.
    C1C2C3NoPrefix,
}

impl CiphertextFormat {
    /// Every format, in the order [`decrypt_detecting_format`](SecretKey::decrypt_detecting_format)
    /// tries them.
    pub const ALL: [CiphertextFormat; 5] = [
        CiphertextFormat::Der,
        CiphertextFormat::C1C3C2,
        CiphertextFormat::C1C2C3,
        CiphertextFormat::C1C3C2NoPrefix,
        CiphertextFormat::C1C2C3NoPrefix,
    ];

    /// A short name: `der`, `c1c3c2`, `c1c2c3`, `c1c3c2-no04`, `c1c2c3-no04`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Der => "der",
            Self::C1C3C2 => "c1c3c2",
            Self::C1C2C3 => "c1c2c3",
            Self::C1C3C2NoPrefix => "c1c3c2-no04",
            Self::C1C2C3NoPrefix => "c1c2c3-no04",
        }
    }

    /// The format named by [`CiphertextFormat::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    fn c3_first(self) -> bool {
        matches!(self, Self::C1C3C2 | Self::C1C3C2NoPrefix)
    }

    fn has_prefix(self) -> bool {
        matches!(self, Self::C1C3C2 | Self::C1C2C3)
    }
}

impl core::fmt::Display for CiphertextFormat {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// `SM2Cipher` of GM/T 0009 §7.2.
#[derive(der::Sequence)]
struct DerCiphertext<'a> {
    x: UintRef<'a>,
    y: UintRef<'a>,
    hash: &'a OctetStringRef,
    cipher_text: &'a OctetStringRef,
}

/// An SM2 ciphertext: C1 (a point on the curve), C3 (the SM3 check value) and C2 (the masked
/// message, never empty). Read it from and write it to any [`CiphertextFormat`] without loss.
///
/// ```
/// use smtrust::sm2::{Ciphertext, CiphertextFormat, SecretKey};
///
/// let key = SecretKey::generate(&mut getrandom::SysRng)?;
/// let ciphertext = key.public_key().encrypt(&mut getrandom::SysRng, b"id number")?;
/// let der = ciphertext.to_bytes(CiphertextFormat::Der);
/// let old_order = Ciphertext::convert(&der, CiphertextFormat::Der, CiphertextFormat::C1C2C3)?;
/// let plaintext = key.decrypt(&old_order, CiphertextFormat::C1C2C3)?;
/// assert_eq!(&plaintext[..], b"id number");
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Ciphertext {
    c1: AffinePoint,
    c3: sm3::Digest,
    c2: Vec<u8>,
}

impl Ciphertext {
    /// Reads a ciphertext laid out as `format`. C1 must be on the curve and C2 not empty.
    pub fn from_bytes(bytes: &[u8], format: CiphertextFormat) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::CiphertextEncoding {
            format: format.name(),
            reason: reason.to_owned(),
        };
        let (c1, rest) = match format {
            CiphertextFormat::Der => return Self::from_der(bytes),
            _ if format.has_prefix() => match bytes.split_first() {
                Some((0x04, rest)) => split_c1(rest).ok_or_else(|| invalid("too short"))?,
                _ => return Err(invalid("C1 does not start with 04")),
            },
            _ => split_c1(bytes).ok_or_else(|| invalid("too short"))?,
        };
        if rest.len() <= sm3::DIGEST_LEN {
            return Err(invalid("C2 is empty or C3 is short"));
        }
        let (c3, c2) = if format.c3_first() {
            let (c3, c2) = rest.split_at(sm3::DIGEST_LEN);
            (c3, c2)
        } else {
            let (c2, c3) = rest.split_at(rest.len() - sm3::DIGEST_LEN);
            (c3, c2)
        };
        Self::from_parts(&c1, c3, c2, format)
    }

    fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        let format = CiphertextFormat::Der;
        let parsed = DerCiphertext::from_der(bytes).map_err(|err| Error::CiphertextEncoding {
            format: format.name(),
            reason: err.to_string(),
        })?;
        let mut c1 = [0u8; 2 * FIELD_LEN];
        left_pad_into(parsed.x.as_bytes(), &mut c1[..FIELD_LEN], format)?;
        left_pad_into(parsed.y.as_bytes(), &mut c1[FIELD_LEN..], format)?;
        Self::from_parts(
            &c1,
            parsed.hash.as_bytes(),
            parsed.cipher_text.as_bytes(),
            format,
        )
    }

    fn from_parts(
        c1: &[u8; 2 * FIELD_LEN],
        c3: &[u8],
        c2: &[u8],
        format: CiphertextFormat,
    ) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::CiphertextEncoding {
            format: format.name(),
            reason: reason.to_owned(),
        };
        let c3: sm3::Digest = c3.try_into().map_err(|_| invalid("C3 is not 32 bytes"))?;
        if c2.is_empty() {
            return Err(invalid("C2 is empty"));
        }
        let mut point = [0u8; 1 + 2 * FIELD_LEN];
        point[0] = 0x04;
        point[1..].copy_from_slice(c1);
        let c1 = curve::decode_point(&point)?;
        Ok(Self {
            c1,
            c3,
            c2: c2.to_vec(),
        })
    }

    /// Writes the ciphertext laid out as `format`.
    pub fn to_bytes(&self, format: CiphertextFormat) -> Vec<u8> {
        let point = PublicKey::from_affine(self.c1).to_uncompressed();
        if format == CiphertextFormat::Der {
            return self.to_der(&point);
        }
        let start = if format.has_prefix() { 0 } else { 1 };
        let mut out = Vec::with_capacity(point.len() + self.c3.len() + self.c2.len());
        out.extend_from_slice(&point[start..]);
        if format.c3_first() {
            out.extend_from_slice(&self.c3);
            out.extend_from_slice(&self.c2);
        } else {
            out.extend_from_slice(&self.c2);
            out.extend_from_slice(&self.c3);
        }
        out
    }

    fn to_der(&self, point: &[u8; 65]) -> Vec<u8> {
        let encoded = (|| {
            DerCiphertext {
                x: UintRef::new(&point[1..33])?,
                y: UintRef::new(&point[33..])?,
                hash: OctetStringRef::new(&self.c3)?,
                cipher_text: OctetStringRef::new(&self.c2)?,
            }
            .to_der()
        })();
        // Invariant: the only failure of DER encoding here would be a length over 256 MiB,
        // which `Vec` allocation would have stopped first.
        encoded.unwrap_or_default()
    }

    /// Re-lays `bytes` from one format to another, checking it on the way (C1 on the curve,
    /// C3 32 bytes, C2 not empty). Nothing is decrypted.
    pub fn convert(
        bytes: &[u8],
        from: CiphertextFormat,
        to: CiphertextFormat,
    ) -> Result<Vec<u8>, Error> {
        Ok(Self::from_bytes(bytes, from)?.to_bytes(to))
    }

    /// C1 as an uncompressed point `04 ‖ x1 ‖ y1`.
    pub fn c1(&self) -> [u8; 65] {
        PublicKey::from_affine(self.c1).to_uncompressed()
    }

    /// C3 = SM3(x2 ‖ M ‖ y2).
    pub fn c3(&self) -> &sm3::Digest {
        &self.c3
    }

    /// C2 = M ⊕ t, as long as the message.
    pub fn c2(&self) -> &[u8] {
        &self.c2
    }
}

impl core::fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ciphertext")
            .field("c1", &hex::encode(self.c1()))
            .field("c3", &hex::encode(self.c3))
            .field("c2_len", &self.c2.len())
            .finish()
    }
}

fn split_c1(bytes: &[u8]) -> Option<([u8; 2 * FIELD_LEN], &[u8])> {
    let (c1, rest) = bytes.split_at_checked(2 * FIELD_LEN)?;
    Some((c1.try_into().ok()?, rest))
}

fn left_pad_into(value: &[u8], out: &mut [u8], format: CiphertextFormat) -> Result<(), Error> {
    let start = out
        .len()
        .checked_sub(value.len())
        .ok_or_else(|| Error::CiphertextEncoding {
            format: format.name(),
            reason: "a C1 coordinate is longer than 32 bytes".to_owned(),
        })?;
    out[start..].copy_from_slice(value);
    Ok(())
}

/// C3 = SM3(x2 ‖ M ‖ y2).
fn check_value(x2y2: &[u8; 2 * FIELD_LEN], message: &[u8]) -> sm3::Digest {
    let mut hasher = sm3::Hasher::new();
    hasher.update(&x2y2[..FIELD_LEN]);
    hasher.update(message);
    hasher.update(&x2y2[FIELD_LEN..]);
    hasher.finalize()
}

/// The KDF output t for `x2y2`, and whether it is all zero (computed without branching on it).
fn keystream(
    x2y2: &[u8; 2 * FIELD_LEN],
    len: usize,
) -> Result<(Zeroizing<Vec<u8>>, Choice), Error> {
    let mut t = Zeroizing::new(vec![0u8; len]);
    sm3::kdf(x2y2, &mut t).map_err(|_| Error::CiphertextEncoding {
        format: "any",
        reason: "C2 is longer than the KDF can mask".to_owned(),
    })?;
    let any_bit = t.iter().fold(0u8, |acc, byte| acc | byte);
    Ok((t, any_bit.ct_eq(&0)))
}

impl PublicKey {
    /// Encrypts `msg` for this key (GB/T 32918.4 §6.1, steps A1–A8). The message must not be
    /// empty. To encrypt many messages for one key, an [`EncryptingKey`] is faster.
    pub fn encrypt<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        msg: &[u8],
    ) -> Result<Ciphertext, Error> {
        if msg.is_empty() {
            return Err(Error::EmptyPlaintext);
        }
        encrypt(self, None, rng, msg)
    }
}

/// A public key kept for encrypting many messages: from its second encryption on it holds
/// precomputed multiples of the key (4 KiB), which make each encryption about twice as fast.
/// Its ciphertexts are the same as [`PublicKey::encrypt`]'s for the same random numbers.
///
/// ```
/// use smtrust::sm2::{CiphertextFormat, EncryptingKey, SecretKey};
///
/// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
/// let recipient = SecretKey::generate(&mut rng)?;
/// let key = EncryptingKey::new(recipient.public_key());
/// for record in [&b"record 1"[..], b"record 2", b"record 3"] {
///     let ciphertext = key.encrypt(&mut rng, record)?.to_bytes(CiphertextFormat::Der);
///     assert_eq!(*recipient.decrypt(&ciphertext, CiphertextFormat::Der)?, record);
/// }
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone)]
pub struct EncryptingKey {
    public_key: PublicKey,
    /// The key's precomputed multiples, built on the second encryption and kept.
    tables: BuiltOnSecondUse<PreparedPoint>,
}

impl EncryptingKey {
    /// Holds `public_key` for encryption; nothing is computed until it is used.
    pub fn new(public_key: PublicKey) -> Self {
        Self {
            public_key,
            tables: BuiltOnSecondUse::new(),
        }
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Encrypts `msg` for this key (GB/T 32918.4 §6.1, steps A1–A8), as
    /// [`PublicKey::encrypt`] does. The message must not be empty.
    pub fn encrypt<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        msg: &[u8],
    ) -> Result<Ciphertext, Error> {
        // An empty message is refused before it can count as a use.
        if msg.is_empty() {
            return Err(Error::EmptyPlaintext);
        }
        encrypt(&self.public_key, self.prepared_tables(), rng, msg)
    }

    /// The prepared tables from the second encryption on: building them costs about one
    /// encryption, so a key used once does not pay for them.
    fn prepared_tables(&self) -> Option<&PreparedPoint> {
        self.tables
            .on_use(|| arith::prepared_point(self.public_key.as_affine()))
    }
}

impl From<PublicKey> for EncryptingKey {
    fn from(public_key: PublicKey) -> Self {
        Self::new(public_key)
    }
}

/// Keys are equal when their public keys are; the cached tables are not part of the value.
impl PartialEq for EncryptingKey {
    fn eq(&self, other: &Self) -> bool {
        self.public_key == other.public_key
    }
}

impl Eq for EncryptingKey {}

impl core::fmt::Debug for EncryptingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EncryptingKey")
            .field("public_key", &self.public_key)
            .field("prepared", &self.tables.is_built())
            .finish()
    }
}

/// Steps A1–A8 for `public_key` and a message the caller has checked is not empty, with the
/// key's prepared tables if there are any.
fn encrypt<R: TryCryptoRng + ?Sized>(
    public_key: &PublicKey,
    prepared: Option<&PreparedPoint>,
    rng: &mut R,
    msg: &[u8],
) -> Result<Ciphertext, Error> {
    let mut k_bytes = Zeroizing::new([0u8; FIELD_LEN]);
    for _ in 0..MAX_EPHEMERAL_TRIES {
        rng.try_fill_bytes(k_bytes.as_mut())
            .map_err(|_| Error::Rng)?;
        let Some(mut k) = Option::<Scalar>::from(Scalar::from_repr((*k_bytes).into())) else {
            continue;
        };
        if bool::from(sm2::elliptic_curve::Field::is_zero(&k)) {
            continue;
        }
        let (c1, x2y2) = arith::mul_generator_and_point(&k, public_key.as_affine(), prepared);
        // Invariant: 0 < k < n, so C1 = k·G is on the curve and not infinity; the `sm2`
        // crate's own multiplication stands in should the conversion ever refuse it.
        let c1 =
            arith::to_sm2(&c1).unwrap_or_else(|| ProjectivePoint::mul_by_generator(&k).to_affine());
        k.zeroize();
        let (t, all_zero) = keystream(&x2y2, msg.len())?;
        if bool::from(all_zero) {
            continue;
        }
        let c2 = msg.iter().zip(t.iter()).map(|(m, t)| m ^ t).collect();
        return Ok(Ciphertext {
            c1,
            c3: check_value(&x2y2, msg),
            c2,
        });
    }
    Err(Error::Rng)
}

impl SecretKey {
    /// Decrypts `ciphertext` laid out as `format` (GB/T 32918.4 §7.1, steps B1–B7). A layout
    /// error is reported as such; anything that depends on the key is the one opaque
    /// [`Error::DecryptionFailed`].
    pub fn decrypt(
        &self,
        ciphertext: &[u8],
        format: CiphertextFormat,
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.decrypt_ciphertext(&Ciphertext::from_bytes(ciphertext, format)?)
    }

    /// Decrypts a parsed [`Ciphertext`].
    pub fn decrypt_ciphertext(&self, ciphertext: &Ciphertext) -> Result<Zeroizing<Vec<u8>>, Error> {
        let x2y2 = arith::mul_point(self.scalar(), &ciphertext.c1);
        let (t, all_zero) = keystream(&x2y2, ciphertext.c2.len())?;
        let mut message = Zeroizing::new(
            ciphertext
                .c2
                .iter()
                .zip(t.iter())
                .map(|(c, t)| c ^ t)
                .collect::<Vec<u8>>(),
        );
        let u = check_value(&x2y2, &message);
        let ok = !all_zero & u.ct_eq(&ciphertext.c3);
        if bool::from(ok) {
            Ok(message)
        } else {
            message.zeroize();
            Err(Error::DecryptionFailed)
        }
    }

    /// Decrypts a ciphertext whose layout is unknown, trying each [`CiphertextFormat`] in turn,
    /// and says which one it was. The C3 check tells the orders apart; a ciphertext that fits
    /// no layout under this key gives [`Error::DecryptionFailed`].
    pub fn decrypt_detecting_format(
        &self,
        ciphertext: &[u8],
    ) -> Result<(Zeroizing<Vec<u8>>, CiphertextFormat), Error> {
        for format in CiphertextFormat::ALL {
            let Ok(parsed) = Ciphertext::from_bytes(ciphertext, format) else {
                continue;
            };
            if let Ok(message) = self.decrypt_ciphertext(&parsed) {
                return Ok((message, format));
            }
        }
        Err(Error::DecryptionFailed)
    }
}
