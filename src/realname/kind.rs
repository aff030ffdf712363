//! The identifier kinds and the entry point, [`check`], with automatic detection.

use core::fmt;

use super::normalize::normalize;
use super::{
    CheckOptions, InvalidReason, Outcome, bank_card, credit_code, mobile, registration_number,
    resident_id,
};

/// The kinds of identifier this module checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// Citizen resident identity number, GB 11643-1999 (and 15-digit GB 11643-1989 input
    /// where the options allow conversion).
    ResidentId,
    /// Foreign permanent-resident ID card number (2023 edition): `9` and 17 characters with
    /// the GB 11643 check.
    ForeignPermanentResidentId,
    /// Unified social credit code, GB 32100-2015.
    SocialCreditCode,
    /// Legacy 15-digit business registration number, GS 15-2006.
    RegistrationNumber,
    /// Mainland mobile number.
    Mobile,
    /// Bank card number (PAN) with the Luhn check.
    BankCard,
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ResidentId => "resident identity number",
            Self::ForeignPermanentResidentId => "foreign permanent-resident ID number",
            Self::SocialCreditCode => "unified social credit code",
            Self::RegistrationNumber => "business registration number",
            Self::Mobile => "mobile number",
            Self::BankCard => "bank card number",
        })
    }
}

/// Which kind [`check`] should treat the value as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    /// Guess the kind from the value's shape (see [`check`]). Use a known kind whenever the
    /// form field says what the value is.
    Auto,
    /// Check the value as this kind only.
    Kind(IdKind),
}

impl From<IdKind> for Expect {
    fn from(kind: IdKind) -> Self {
        Self::Kind(kind)
    }
}

/// Normalises `value` and checks it as `expect` says.
///
/// Normalisation (DOMAIN.md §1): input longer than [`MAX_INPUT_CHARS`](super::MAX_INPUT_CHARS)
/// is rejected at once; full-width digits and letters become ASCII; white space and hyphens
/// are removed; letters are upper-cased.
///
/// With [`Expect::Auto`], the value's shape gives candidate kinds, in this order:
///
/// | shape | candidates |
/// | --- | --- |
/// | starts with `+` or `00` | mobile |
/// | 11 digits | mobile |
/// | 13 digits starting with `86` or `14` | mobile, bank card |
/// | 15 digits | registration number, resident ID (legacy) |
/// | 18 digits, or 17 digits and `X`, starting with `9` | credit code, foreign permanent-resident ID |
/// | 18 digits, or 17 digits and `X`, otherwise | resident ID, credit code |
/// | 18 characters with other letters | credit code |
/// | 13 to 19 digits otherwise | bank card |
///
/// The first candidate that is valid wins; failing that the first suspicious one; failing
/// that the first candidate's invalid outcome is returned. 15- and 18-digit card numbers are
/// therefore never detected: check them with [`IdKind::BankCard`].
///
/// ```
/// use smtrust::realname::{check, CheckOptions, Date, Expect, IdKind, InvalidReason, Outcome};
///
/// let options = CheckOptions::new(Date::new(2026, 11, 26)?);
///
/// // DOMAIN.md §1.1 vector, typed with a lower-case x and spaces.
/// let outcome = check("110105 19491231 002x", IdKind::ResidentId, &options);
/// assert!(outcome.is_valid());
/// assert_eq!(outcome.identifier().map(|id| id.value()), Some("11010519491231002X"));
///
/// // One digit wrong: the check character no longer matches.
/// assert_eq!(
///     check("110101202311012171", Expect::Auto, &options),
///     Outcome::Invalid(InvalidReason::BadCheckCharacter { expected: '6', found: '1' })
/// );
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
pub fn check(value: &str, expect: impl Into<Expect>, options: &CheckOptions) -> Outcome {
    let normalized = match normalize(value) {
        Ok(normalized) => normalized,
        Err(reason) => return Outcome::Invalid(reason),
    };
    match expect.into() {
        Expect::Kind(kind) => check_kind(&normalized, kind, options),
        Expect::Auto => detect(&normalized, options),
    }
}

fn check_kind(value: &str, kind: IdKind, options: &CheckOptions) -> Outcome {
    match kind {
        IdKind::ResidentId => resident_id::check(value, options),
        IdKind::ForeignPermanentResidentId => resident_id::check_foreign(value),
        IdKind::SocialCreditCode => credit_code::check(value, options),
        IdKind::RegistrationNumber => registration_number::check(value),
        IdKind::Mobile => mobile::check(value),
        IdKind::BankCard => bank_card::check(value),
    }
}

fn detect(value: &str, options: &CheckOptions) -> Outcome {
    let mut first_suspicious = None;
    let mut first_invalid = None;
    for &kind in candidates(value) {
        match check_kind(value, kind, options) {
            valid @ Outcome::Valid(_) => return valid,
            suspicious @ Outcome::Suspicious(..) => {
                first_suspicious = first_suspicious.or(Some(suspicious));
            }
            invalid @ Outcome::Invalid(_) => first_invalid = first_invalid.or(Some(invalid)),
        }
    }
    first_suspicious
        .or(first_invalid)
        .unwrap_or(Outcome::Invalid(InvalidReason::UnrecognisedFormat {
            length: value.chars().count(),
        }))
}

/// The candidate kinds for a normalised value, most likely first (the table on [`check`]).
fn candidates(value: &str) -> &'static [IdKind] {
    use IdKind::*;
    let length = value.chars().count();
    let all_digits = value.bytes().all(|b| b.is_ascii_digit());
    let digits_then_check = value
        .strip_suffix('X')
        .unwrap_or(value)
        .bytes()
        .all(|b| b.is_ascii_digit());
    if value.starts_with('+') || value.starts_with("00") {
        return &[Mobile];
    }
    match length {
        11 if all_digits => &[Mobile],
        13 if all_digits && (value.starts_with("86") || value.starts_with("14")) => {
            &[Mobile, BankCard]
        }
        15 if all_digits => &[RegistrationNumber, ResidentId],
        18 if digits_then_check && value.starts_with('9') => {
            &[SocialCreditCode, ForeignPermanentResidentId]
        }
        18 if digits_then_check => &[ResidentId, SocialCreditCode],
        18 => &[SocialCreditCode],
        13..=19 if all_digits => &[BankCard],
        _ => &[],
    }
}
