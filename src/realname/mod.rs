//! Real-name verification: checking the identifiers applicants and entities give (resident
//! ID numbers, unified social credit codes, registration numbers, mobile and bank card
//! numbers), masking personal data for display, keeping signed verification records with the
//! personal data sealed, and deciding by policy whether a subject is verified.
//!
//! [`check`] normalises its input and gives one of three outcomes (DOMAIN.md §1):
//! [`Outcome::Valid`] with the normalised [`Identifier`] and what it records (a resident
//! ID's birth date and sex, say); [`Outcome::Suspicious`] for values that break a rule real
//! data is known to break, such as the Fujian/Xiamen pilot credit codes; and
//! [`Outcome::Invalid`] with an [`InvalidReason`] naming the rule that failed.
//!
//! | kind | standard | rules |
//! | --- | --- | --- |
//! | [`IdKind::ResidentId`] | GB 11643-1999 | 17 digits + MOD 11-2 check; province prefix; real birth date, not after today; 15-digit GB 11643-1989 numbers converted on request |
//! | [`IdKind::ForeignPermanentResidentId`] | 2023 card | `9` + 16 digits + MOD 11-2 check |
//! | [`IdKind::SocialCreditCode`] | GB 32100-2015, GB 11714-1997 | 31-character alphabet; MOD 31 check; embedded organisation-code check; known department and category |
//! | [`IdKind::RegistrationNumber`] | GS 15-2006 | 14 digits + ISO 7064 MOD 11,10 check |
//! | [`IdKind::Mobile`] | — | `+86`/`0086` stripped; `1[3-9]` + 9 digits |
//! | [`IdKind::BankCard`] | ISO/IEC 7812 | 13–19 digits + Luhn check |
//!
//! The checks never read the clock: "today", for birth dates, is part of the
//! [`CheckOptions`].
//!
//! ```
//! use smtrust::realname::{
//!     check, CheckOptions, Date, Expect, IdKind, Identifier, MaskPolicy, Outcome, Sex,
//!     SuspiciousReason,
//! };
//!
//! let options = CheckOptions::new(Date::new(2026, 11, 26)?);
//!
//! // DOMAIN.md §1.1: a resident ID number, typed with full-width digits.
//! let outcome = check("３６０４２６１９９１０１０１００７１", IdKind::ResidentId, &options);
//! assert!(outcome.is_valid());
//! if let Some(Identifier::ResidentId(id)) = outcome.identifier() {
//!     assert_eq!(id.value(), "360426199101010071");
//!     assert_eq!(id.birth_date(), Date::new(1991, 1, 1)?);
//!     assert_eq!(id.sex(), Sex::Male);
//! }
//! let masked = outcome.identifier().map(|id| id.masked(&MaskPolicy::STRICT));
//! assert_eq!(masked.as_deref(), Some("3****************1"));
//!
//! // DOMAIN.md §1.3: a Fujian pilot credit code is legitimate although its check character
//! // is wrong, so it is suspicious rather than invalid.
//! let outcome = check("91350100M0001TGQXM", Expect::Auto, &options);
//! assert!(matches!(
//!     outcome,
//!     Outcome::Suspicious(_, SuspiciousReason::PilotCode { expected: '1', found: 'M' })
//! ));
//! # Ok::<(), smtrust::realname::Error>(())
//! ```
//!
//! Masking ([`MaskPolicy`], [`MaskRule`]) is strict by default (DOMAIN.md §2.3) and never
//! shows more characters than its rule, however short or odd the value.
//!
//! ## Verification records
//!
//! A [`VerificationRecord`] (DOMAIN.md §2.2) is keyed by the business serial number and says
//! what was checked ([`FactorSet`]), by which qualified institution, with what result
//! ([`CheckResult`] plus the raw code and message), with the face details ([`FaceCheck`]) and
//! evidence digests ([`EvidenceRef`], biometric ones kept apart). Personal data is never in
//! it in the clear ([`ProtectedPersonalData`]): masked values, blind indexes
//! ([`IndexKey`], HMAC-SM3) and an SM4-GCM [`Envelope`] under a per-record data key that a
//! [`KeyProvider`] wraps ([`LocalKeyFile`] by default) and a [`PersonalDataVault`] can shred.
//! The canonical form is DER; the institution signs it with SM2 ([`SignedRecord`]) and only
//! [`SignedRecord::verify`] gives the record back ([`VerifiedRecord`]). The JSON view
//! ([`RecordView`]) is for people and never holds unmasked data.
//!
//! ```
//! use rand_core::SeedableRng;
//! use smtrust::realname::*;
//! use smtrust::sm2::{DistId, SigningKey};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2026);
//! let options = CheckOptions::new(Date::new(2026, 11, 26)?);
//! let id = check("11010519491231002X", IdKind::ResidentId, &options);
//! let mobile = check("13812345678", IdKind::Mobile, &options);
//! let mut person = PersonalData::new().with_name("张三丰");
//! for identifier in [id.identifier(), mobile.identifier()].into_iter().flatten() {
//!     person = person.with_identifier(identifier)?;
//! }
//!
//! let mut vault = PersonalDataVault::new(LocalKeyFile::from_kek_bytes("kek", [9; 16])?, "kek")?;
//! let index_key = IndexKey::new("idx", [5; 32])?;
//! let protected = vault.protect("R-1", &person, &MaskPolicy::STRICT, &index_key, &mut rng)?;
//!
//! let record = VerificationRecord::builder("SH-2026-000123", "R-1", 1)
//!     .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
//!     .check(FactorSet::PHONE_3, "Example Institution", "req-1")
//!     .result(CheckResult::Match, "0", "一致")
//!     .times(UnixTime::from_secs(1_764_115_200), UnixTime::from_secs(1_764_115_201))
//!     .personal(protected)
//!     .build()?;
//! let json = record.to_json()?;
//! assert!(json.contains("1****************X") && !json.contains("11010519491231002X"));
//!
//! // The institution signs with its certificate's key (test PKI from test-vectors/).
//! let key_pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/test-vectors/interop/pki/keys/leaf-good.key.pem"))?;
//! let cert = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/test-vectors/interop/pki/std/leaf-good.der"))?;
//! let signer = SigningKey::new(smtrust::sm2::SecretKey::from_pem(&key_pem)?, DistId::DEFAULT);
//! let signed = record.sign(&signer, &cert, &mut rng)?;
//! let verified = SignedRecord::from_der(signed.as_der())?.verify(&VerifyOptions::new())?;
//! assert_eq!(verified.record().record_id(), "R-1");
//!
//! let decision = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD)
//!     .decide(&[verified.record()], UnixTime::from_secs(1_764_115_300))?;
//! assert_eq!(decision.verdict, Verdict::Indeterminate); // the face check is still missing
//! # Ok(()) }
//! ```

mod bank_card;
mod blind_index;
mod builder;
mod credit_code;
mod date;
mod decision;
mod envelope;
mod error;
mod evidence;
mod face;
mod factors;
mod json_view;
mod key_provider;
mod kind;
mod local_key_file;
mod mask;
mod mobile;
mod normalize;
mod options;
mod outcome;
mod personal;
mod policy;
mod protected;
mod reason;
mod record;
mod record_der;
mod registration_number;
mod resident_id;
mod result;
mod scan;
mod signed;
mod subject;
mod time;
mod vault;

pub use bank_card::BankCard;
pub use blind_index::{BlindIndex, IndexKey};
pub use builder::RecordBuilder;
pub use credit_code::SocialCreditCode;
pub use date::Date;
pub use decision::{
    Contribution, Decision, Effect, Failure, Inconclusive, NotCounted, RequirementOutcome,
    RuleOutcome, Status, Verdict,
};
pub use envelope::{DataKeyId, Envelope};
pub use error::Error;
pub use evidence::{EvidenceKind, EvidenceRef};
pub use face::{CompareLibrary, FaceCheck, LivenessMode, LivenessStatus, Score};
pub use factors::{Factor, FactorSet};
pub use json_view::RecordView;
pub use key_provider::{DATA_KEY_LEN, DataKey, KeyProvider, WrappedKey};
pub use kind::{Expect, IdKind, check};
pub use local_key_file::LocalKeyFile;
pub use mask::{MaskField, MaskPolicy, MaskRule};
pub use mobile::MobileNumber;
pub use normalize::MAX_INPUT_CHARS;
pub use options::{CheckOptions, LegacyResidentIds};
pub use outcome::{Identifier, Outcome};
pub use personal::{MaskedIdentity, PersonalData, PersonalField};
pub use policy::{DEFAULT_MAX_AGE_SECS, Policy, Requirement, Rule};
pub use protected::ProtectedPersonalData;
pub use reason::{CharClass, ExpectedLength, InvalidReason, SuspiciousReason};
pub use record::VerificationRecord;
pub use registration_number::RegistrationNumber;
pub use resident_id::{ForeignPermanentResidentId, ResidentId, Sex};
pub use result::CheckResult;
pub use signed::{MAX_SIGNED_RECORD_LEN, SignedRecord, SignerKey, VerifiedRecord, VerifyOptions};
pub use subject::{Role, SubjectKind};
pub use time::UnixTime;
pub use vault::PersonalDataVault;
