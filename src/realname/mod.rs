//! Real-name identifiers and masking: checking the identifiers applicants and entities give
//! (resident ID numbers, unified social credit codes, registration numbers, mobile and bank
//! card numbers) and masking personal data for display.
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

mod bank_card;
mod credit_code;
mod date;
mod error;
mod kind;
mod mask;
mod mobile;
mod normalize;
mod options;
mod outcome;
mod reason;
mod registration_number;
mod resident_id;
mod scan;

pub use bank_card::BankCard;
pub use credit_code::SocialCreditCode;
pub use date::Date;
pub use error::Error;
pub use kind::{Expect, IdKind, check};
pub use mask::{MaskField, MaskPolicy, MaskRule};
pub use mobile::MobileNumber;
pub use normalize::MAX_INPUT_CHARS;
pub use options::{CheckOptions, LegacyResidentIds};
pub use outcome::{Identifier, Outcome};
pub use reason::{CharClass, ExpectedLength, InvalidReason, SuspiciousReason};
pub use registration_number::RegistrationNumber;
pub use resident_id::{ForeignPermanentResidentId, ResidentId, Sex};
