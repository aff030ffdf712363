//! Mainland mobile numbers (DOMAIN.md §1.4): an optional `+86`, `0086` or `86` prefix is
//! stripped, and what is left must match `^1[3-9]\d{9}$`. Segment lists are not checked:
//! they change, and number portability means they no longer say the carrier.

use core::fmt;

use zeroize::Zeroize;

use super::scan;
use super::{CharClass, ExpectedLength, Identifier, InvalidReason, MaskRule, Outcome};

/// A valid mainland mobile number, 11 digits without a country prefix.
///
/// Only [`check`](super::check) makes one. The number is wiped from memory when the value is
/// dropped, and `Debug` shows it masked.
#[derive(Clone, PartialEq, Eq)]
pub struct MobileNumber {
    value: String,
}

impl MobileNumber {
    /// The 11-digit number.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MobileNumber")
            .field("value", &MaskRule::MOBILE.apply(&self.value))
            .finish()
    }
}

impl Drop for MobileNumber {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// Checks a normalised mobile number. Positions in reasons count from the first digit after
/// the country prefix.
pub(super) fn check(value: &str) -> Outcome {
    match mobile(without_country_prefix(value)) {
        Ok(number) => Outcome::Valid(Identifier::Mobile(number)),
        Err(reason) => Outcome::Invalid(reason),
    }
}

/// Strips `+86` or `0086`, or a bare `86` when exactly 11 digits follow.
pub(super) fn without_country_prefix(value: &str) -> &str {
    if let Some(rest) = value
        .strip_prefix("+86")
        .or_else(|| value.strip_prefix("0086"))
    {
        return rest;
    }
    match value.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest,
        _ => value,
    }
}

fn mobile(value: &str) -> Result<MobileNumber, InvalidReason> {
    if value.len() == 13 && value.starts_with("14") && value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InvalidReason::IotDataNumber);
    }
    let chars = scan::exact::<11>(value, ExpectedLength::Exactly(11))?;
    let [first, second, ..] = scan::digits(&chars, 1)?;
    if first != 1 {
        return Err(scan::bad(scan::digit_char(first), 1, CharClass::One));
    }
    if second < 3 {
        return Err(scan::bad(
            scan::digit_char(second),
            2,
            CharClass::ThreeToNine,
        ));
    }
    Ok(MobileNumber {
        value: value.to_owned(),
    })
}
