//! Resident identity numbers: GB 11643-1999 (18 digits, ISO 7064 MOD 11-2 check), the
//! GB 11643-1989 15-digit legacy form, and the 2023 foreign permanent-resident ID card number.
//!
//! Checks, in order (DOMAIN.md §1.1, §1.2):
//! 1. 17 digits followed by a digit or `X` (for legacy input: 15 digits, converted by
//!    inserting the century `19` after position 6 and appending the check character);
//! 2. the check character, `(12 − Σ dᵢ·Wᵢ mod 11) mod 11` with 10 written `X`. It goes first
//!    because a wrong check character means the value was mistyped, and then its fields mean
//!    nothing;
//! 3. the two-digit province prefix (the county code is not checked: old numbers keep retired
//!    codes);
//! 4. the birth date, positions 7 to 14: a real Gregorian date, not after the caller's today.

use core::fmt;

use zeroize::Zeroize;

use super::options::CheckOptions;
use super::scan::{self, digit_char};
use super::{CharClass, Date, ExpectedLength, Identifier, InvalidReason, MaskRule, Outcome};

/// A valid citizen resident identity number (公民身份号码), in its 18-digit form.
///
/// Only [`check`](super::check) makes one. The number is wiped from memory when the value is
/// dropped, and `Debug` shows it masked.
#[derive(Clone, PartialEq, Eq)]
pub struct ResidentId {
    // Invariant: 17 ASCII digits and a digit or `X`, so `address_code` never falls back.
    value: String,
    birth_date: Date,
    sex: Sex,
    converted_from_15: bool,
}

impl ResidentId {
    /// The 18-digit number, check character `X` in upper case.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The six-digit address code (GB/T 2260) of the place of household registration.
    pub fn address_code(&self) -> &str {
        self.value.get(..6).unwrap_or_default()
    }

    /// The date of birth, positions 7 to 14.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The sex the sequence code (positions 15 to 17) records: odd is male, even female.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// Whether the input was a 15-digit GB 11643-1989 number that was converted to this
    /// 18-digit form. Records should store the converted form and keep this flag.
    pub fn converted_from_15(&self) -> bool {
        self.converted_from_15
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResidentId")
            .field("value", &MaskRule::RESIDENT_ID_STRICT.apply(&self.value))
            .field("converted_from_15", &self.converted_from_15)
            .finish_non_exhaustive()
    }
}

impl Drop for ResidentId {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// The sex recorded in a resident identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// An odd sequence code.
    Male,
    /// An even sequence code.
    Female,
}

/// A valid foreign permanent-resident ID card number (外国人永久居留身份证, 2023 edition):
/// 18 characters starting with `9`, with the MOD 11-2 check of GB 11643. Positions 2 to 17
/// are not interpreted.
///
/// Only [`check`](super::check) makes one. The number is wiped from memory when the value is
/// dropped, and `Debug` shows it masked.
#[derive(Clone, PartialEq, Eq)]
pub struct ForeignPermanentResidentId {
    value: String,
}

impl ForeignPermanentResidentId {
    /// The 18-character number, check character `X` in upper case.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for ForeignPermanentResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForeignPermanentResidentId")
            .field("value", &MaskRule::RESIDENT_ID_STRICT.apply(&self.value))
            .finish()
    }
}

impl Drop for ForeignPermanentResidentId {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// Checks a normalised citizen resident identity number (18 digits, or 15 where the options
/// allow legacy conversion).
pub(super) fn check(value: &str, options: &CheckOptions) -> Outcome {
    match citizen(value, options) {
        Ok(id) => Outcome::Valid(Identifier::ResidentId(id)),
        Err(reason) => Outcome::Invalid(reason),
    }
}

/// Checks a normalised foreign permanent-resident ID card number.
pub(super) fn check_foreign(value: &str) -> Outcome {
    match foreign(value) {
        Ok(id) => Outcome::Valid(Identifier::ForeignPermanentResidentId(id)),
        Err(reason) => Outcome::Invalid(reason),
    }
}

/// The MOD 11-2 check character for the first 17 digits (ISO 7064; GB 11643-1999 §5.2),
/// with weights Wᵢ = 2^(18−i) mod 11.
pub(super) fn mod11_2(body: &[u32; 17]) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match (12 - sum % 11) % 11 {
        10 => 'X',
        c => digit_char(c),
    }
}

fn citizen(value: &str, options: &CheckOptions) -> Result<ResidentId, InvalidReason> {
    let converts_legacy = options.converts_legacy_resident_ids();
    if value.chars().count() == 15 {
        if !converts_legacy {
            return Err(InvalidReason::LegacyResidentIdNotAccepted);
        }
        return legacy(value, options);
    }
    let expected_length = if converts_legacy {
        ExpectedLength::Either(18, 15)
    } else {
        ExpectedLength::Exactly(18)
    };
    let [body @ .., check] = scan::exact::<18>(value, expected_length)?;
    let digits = scan::digits(&body, 1)?;
    check_character(&digits, check)?;
    fields(digits, check, false, options)
}

/// GB 11643-1989 numbers: 6-digit address, YYMMDD in the 1900s, 3-digit sequence, no check.
fn legacy(value: &str, options: &CheckOptions) -> Result<ResidentId, InvalidReason> {
    let chars = scan::exact::<15>(value, ExpectedLength::Exactly(15))?;
    let [a1, a2, a3, a4, a5, a6, y3, y4, m1, m2, d1, d2, s1, s2, s3] = scan::digits(&chars, 1)?;
    let digits = [
        a1, a2, a3, a4, a5, a6, 1, 9, y3, y4, m1, m2, d1, d2, s1, s2, s3,
    ];
    let check = mod11_2(&digits);
    fields(digits, check, true, options)
}

fn foreign(value: &str) -> Result<ForeignPermanentResidentId, InvalidReason> {
    let [body @ .., check] = scan::exact::<18>(value, ExpectedLength::Exactly(18))?;
    let digits = scan::digits(&body, 1)?;
    let [first, ..] = body;
    if first != '9' {
        return Err(scan::bad(first, 1, CharClass::Nine));
    }
    check_character(&digits, check)?;
    Ok(ForeignPermanentResidentId {
        value: value.to_owned(),
    })
}

/// Position 18: its class first, then whether it matches the other 17 digits.
fn check_character(digits: &[u32; 17], found: char) -> Result<(), InvalidReason> {
    if !(found.is_ascii_digit() || found == 'X') {
        return Err(scan::bad(found, 18, CharClass::DigitOrX));
    }
    let expected = mod11_2(digits);
    if found == expected {
        Ok(())
    } else {
        Err(InvalidReason::BadCheckCharacter { expected, found })
    }
}

/// The field rules of a number whose check character is right (or was just computed).
fn fields(
    digits: [u32; 17],
    check: char,
    converted_from_15: bool,
    options: &CheckOptions,
) -> Result<ResidentId, InvalidReason> {
    let [p1, p2, _, _, _, _, y1, y2, y3, y4, m1, m2, d1, d2, _, _, s3] = digits;
    let province = p1 * 10 + p2;
    if !is_province(province) {
        return Err(InvalidReason::UnknownProvince {
            code: u8::try_from(province).unwrap_or(u8::MAX),
        });
    }
    // Each part is built from at most four decimal digits, so it fits its type.
    let year = u16::try_from(((y1 * 10 + y2) * 10 + y3) * 10 + y4).unwrap_or(u16::MAX);
    let month = u8::try_from(m1 * 10 + m2).unwrap_or(u8::MAX);
    let day = u8::try_from(d1 * 10 + d2).unwrap_or(u8::MAX);
    let birth_date = Date::checked(year, month, day).ok_or(InvalidReason::ImpossibleBirthDate {
        year,
        month,
        day,
    })?;
    let today = options.today();
    if birth_date > today {
        return Err(InvalidReason::BirthDateInFuture {
            birth: birth_date,
            today,
        });
    }
    let mut value: String = digits.iter().copied().map(digit_char).collect();
    value.push(check);
    Ok(ResidentId {
        value,
        birth_date,
        sex: if s3 % 2 == 1 { Sex::Male } else { Sex::Female },
        converted_from_15,
    })
}

/// The province-level prefixes of GB/T 2260 used in resident numbers (DOMAIN.md §1.1),
/// including Taiwan (71), Hong Kong (81), Macao (82) and the Taiwan residents' residence
/// permit (83).
fn is_province(code: u32) -> bool {
    matches!(
        code,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> [u32; 17] {
        let mut out = [0; 17];
        for (slot, c) in out.iter_mut().zip(s.chars()) {
            *slot = c.to_digit(10).unwrap();
        }
        out
    }

    #[test]
    fn mod11_2_matches_the_gb_11643_table() {
        // DOMAIN.md §1.1: S mod 11 = 0..10 maps to 1 0 X 9 8 7 6 5 4 3 2. Position 8 has
        // weight 1, so a body of zeros with digit d there has S = d.
        let table = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
        for (s, &want) in table.iter().enumerate().take(10) {
            let mut body = [0; 17];
            body[7] = u32::try_from(s).unwrap();
            assert_eq!(mod11_2(&body), want, "S = {s}");
        }
        // S = 10: weight 10 at position 3.
        let mut body = [0; 17];
        body[2] = 1;
        assert_eq!(mod11_2(&body), '2');
    }

    #[test]
    fn mod11_2_domain_vectors() {
        assert_eq!(mod11_2(&digits("11010519491231002")), 'X');
        assert_eq!(mod11_2(&digits("36042619910101007")), '1');
        assert_eq!(mod11_2(&digits("11010120231101217")), '6');
    }

    #[test]
    fn province_prefixes() {
        for code in [
            11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82, 83,
        ] {
            assert!(is_province(code), "{code}");
        }
        for code in [
            0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 84, 91, 99,
        ] {
            assert!(!is_province(code), "{code}");
        }
    }
}
