//! Bank card numbers (PANs, DOMAIN.md §1.5): 13 to 19 digits with the Luhn check
//! (ISO/IEC 7812-1 Annex B). Only card PANs carry it: do not check settlement-account or
//! passbook numbers with this.

use core::fmt;

use zeroize::Zeroize;

use super::scan::{self, digit_char};
use super::{ExpectedLength, Identifier, InvalidReason, MaskRule, Outcome};

/// The lengths a PAN may have.
const LENGTHS: core::ops::RangeInclusive<usize> = 13..=19;

/// A bank card number that passed the Luhn check.
///
/// Only [`check`](super::check) makes one. The number is wiped from memory when the value is
/// dropped, and `Debug` shows it masked.
#[derive(Clone, PartialEq, Eq)]
pub struct BankCard {
    value: String,
}

impl BankCard {
    /// The card number, digits only.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for BankCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BankCard")
            .field("value", &MaskRule::BANK_CARD.apply(&self.value))
            .finish()
    }
}

impl Drop for BankCard {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// Checks a normalised card number.
pub(super) fn check(value: &str) -> Outcome {
    match bank_card(value) {
        Ok(card) => Outcome::Valid(Identifier::BankCard(card)),
        Err(reason) => Outcome::Invalid(reason),
    }
}

fn bank_card(value: &str) -> Result<BankCard, InvalidReason> {
    let found_length = value.chars().count();
    if !LENGTHS.contains(&found_length) {
        return Err(InvalidReason::BadLength {
            expected: ExpectedLength::Between(*LENGTHS.start(), *LENGTHS.end()),
            found: found_length,
        });
    }
    let mut digits = value
        .chars()
        .enumerate()
        .map(|(index, c)| scan::digit(c, index + 1))
        .collect::<Result<Vec<u32>, _>>()?;
    let found = digits.pop().unwrap_or_default();
    let expected = luhn_check_digit(&digits);
    digits.zeroize();
    if found != expected {
        return Err(InvalidReason::BadCheckCharacter {
            expected: digit_char(expected),
            found: digit_char(found),
        });
    }
    Ok(BankCard {
        value: value.to_owned(),
    })
}

/// The Luhn digit to append to `payload`: from the right, every first, third, … digit of the
/// payload is doubled (9 subtracted when above 9), so that the full number sums to 0 mod 10.
fn luhn_check_digit(payload: &[u32]) -> u32 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(index, &d)| match (index % 2 == 0, d * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => d,
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_domain_vector() {
        // DOMAIN.md §1.5: 6212280200141664948 passes.
        let payload: Vec<u32> = "621228020014166494"
            .chars()
            .map(|c| c.to_digit(10).unwrap())
            .collect();
        assert_eq!(luhn_check_digit(&payload), 8);
    }

    #[test]
    fn luhn_textbook_vector() {
        // The common textbook example: 7992739871 has check digit 3 (79927398713).
        assert_eq!(luhn_check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
    }
}
