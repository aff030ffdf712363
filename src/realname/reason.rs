//! Why an identifier is invalid or suspicious: one variant per rule, each with the facts a
//! person needs to correct the input.

use core::fmt;

use super::Date;

/// The rule an invalid identifier broke.
///
/// Positions count characters from 1, as the standards do, in the normalised value (after
/// spaces and hyphens were removed and, for mobile numbers, the `+86` prefix stripped).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidReason {
    /// The input is longer than any identifier could be; it was not examined further.
    #[error("the input is longer than {max_chars} characters, so it was not examined")]
    TooLong {
        /// The limit, [`MAX_INPUT_CHARS`](super::MAX_INPUT_CHARS).
        max_chars: usize,
    },
    /// Nothing is left once spaces and hyphens are removed.
    #[error("the input is empty")]
    Empty,
    /// No identifier kind has this shape (automatic detection only).
    #[error("no supported identifier has this shape ({length} characters)")]
    UnrecognisedFormat {
        /// The length of the normalised input, in characters.
        length: usize,
    },
    /// The identifier has the wrong number of characters.
    #[error("the identifier must have {expected} characters but has {found}")]
    BadLength {
        /// The lengths its kind allows.
        expected: ExpectedLength,
        /// Its length, in characters.
        found: usize,
    },
    /// A character is not allowed at its position.
    #[error("character {position} is {found:?}, but must be {expected}")]
    BadCharacter {
        /// The position, counted from 1.
        position: usize,
        /// The character found there.
        found: char,
        /// What the position allows.
        expected: CharClass,
    },
    /// The check character does not match the rest of the identifier: most often a typing
    /// mistake.
    #[error("the check character is {found:?}, but the rest of the identifier gives {expected:?}")]
    BadCheckCharacter {
        /// The check character computed from the other characters.
        expected: char,
        /// The check character given.
        found: char,
    },
    /// The organisation code inside a unified social credit code (positions 9 to 17,
    /// GB 11714) fails its own check.
    #[error(
        "the embedded organisation code has check character {found:?}, but its body gives {expected:?}"
    )]
    BadOrganisationCodeCheck {
        /// The check character computed from positions 9 to 16.
        expected: char,
        /// The character at position 17.
        found: char,
    },
    /// A resident ID does not start with a province code of GB/T 2260.
    #[error("{code:02} is not a province code of a resident identity number")]
    UnknownProvince {
        /// The first two digits.
        code: u8,
    },
    /// The birth-date digits of a resident ID are not a real calendar date.
    #[error("the birth date {year:04}-{month:02}-{day:02} does not exist")]
    ImpossibleBirthDate {
        /// The year digits.
        year: u16,
        /// The month digits.
        month: u8,
        /// The day digits.
        day: u8,
    },
    /// The birth date of a resident ID lies after the caller's "today".
    #[error("the birth date {birth} is after today, {today}")]
    BirthDateInFuture {
        /// The birth date.
        birth: Date,
        /// The date the caller gave as today.
        today: Date,
    },
    /// A 15-digit (GB 11643-1989) resident ID was given, and the options do not allow legacy
    /// conversion.
    #[error("15-digit resident identity numbers are accepted only when importing legacy records")]
    LegacyResidentIdNotAccepted,
    /// A 13-digit number starting with 14 is an IoT data number, not a personal mobile number.
    #[error("13-digit numbers starting with 14 are IoT data numbers, not personal mobile numbers")]
    IotDataNumber,
}

/// The lengths an identifier kind allows, for [`InvalidReason::BadLength`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpectedLength {
    /// Exactly this many characters.
    Exactly(usize),
    /// One of two lengths (an 18-digit resident ID, or a 15-digit one where legacy conversion
    /// is allowed).
    Either(usize, usize),
    /// Any length in this inclusive range.
    Between(usize, usize),
}

impl fmt::Display for ExpectedLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exactly(n) => write!(f, "{n}"),
            Self::Either(a, b) => write!(f, "{a} or {b}"),
            Self::Between(min, max) => write!(f, "{min} to {max}"),
        }
    }
}

/// The characters a position allows, for [`InvalidReason::BadCharacter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CharClass {
    /// `0`–`9`.
    Digit,
    /// `0`–`9` or `X` (the MOD 11-2 check character).
    DigitOrX,
    /// The 31 characters of GB 32100: `0`–`9` and `A`–`Z` without `I`, `O`, `S`, `V`, `Z`.
    CreditCodeAlphabet,
    /// `9`, which starts every foreign permanent-resident ID number.
    Nine,
    /// `1`, which starts every mainland mobile number.
    One,
    /// `3`–`9`, the second digit of a mainland mobile number.
    ThreeToNine,
}

impl fmt::Display for CharClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Digit => "a digit",
            Self::DigitOrX => "a digit or X",
            Self::CreditCodeAlphabet => "a digit or a capital letter other than I, O, S, V and Z",
            Self::Nine => "the digit 9",
            Self::One => "the digit 1",
            Self::ThreeToNine => "a digit from 3 to 9",
        })
    }
}

/// Why an identifier that may well be real deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SuspiciousReason {
    /// One of the early Fujian/Xiamen pilot unified social credit codes, which are legitimate
    /// although their check character is wrong (DOMAIN.md §1.3).
    #[error(
        "this is a known Fujian/Xiamen pilot credit code: its check character is {found:?} where the standard gives {expected:?}, but the code is legitimate"
    )]
    PilotCode {
        /// The check character GB 32100 gives.
        expected: char,
        /// The check character the code carries.
        found: char,
    },
    /// The registration-management department (position 1 of a credit code) is not one this
    /// library knows; departments have been added by notice over time.
    #[error("{code:?} is not a known registration-management department code")]
    UnknownDepartment {
        /// Position 1 of the code.
        code: char,
    },
    /// The organisation category (position 2 of a credit code) is not one this library knows
    /// for its department.
    #[error("{category:?} is not a known organisation category for department {department:?}")]
    UnknownCategory {
        /// Position 1 of the code.
        department: char,
        /// Position 2 of the code.
        category: char,
    },
}
