//! Legacy 15-digit business registration numbers (注册号, GS 15-2006), used by entities
//! registered before the unified social credit code (DOMAIN.md §1.3).
//!
//! 14 digits and a check digit under ISO 7064 hybrid MOD 11,10: starting from p = 10, each
//! digit d gives s = (p + d) mod 10 (0 read as 10) and then p = 2s mod 11; the number is
//! valid when (p + check) mod 10 = 1 after the 14th digit.

use super::scan::{self, digit_char};
use super::{ExpectedLength, Identifier, InvalidReason, Outcome};

/// A valid 15-digit business registration number.
///
/// Only [`check`](super::check) makes one. Registration numbers identify organisations and
/// are public, so they are not treated as personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationNumber {
    // Invariant: 15 ASCII digits, so `authority_code` never falls back.
    value: String,
}

impl RegistrationNumber {
    /// The 15-digit number.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The first six digits: the code of the registering authority.
    pub fn authority_code(&self) -> &str {
        self.value.get(..6).unwrap_or_default()
    }
}

/// Checks a normalised registration number.
pub(super) fn check(value: &str) -> Outcome {
    match registration_number(value) {
        Ok(number) => Outcome::Valid(Identifier::RegistrationNumber(number)),
        Err(reason) => Outcome::Invalid(reason),
    }
}

fn registration_number(value: &str) -> Result<RegistrationNumber, InvalidReason> {
    let chars = scan::exact::<15>(value, ExpectedLength::Exactly(15))?;
    let [body @ .., found] = scan::digits(&chars, 1)?;
    let expected = mod11_10(&body);
    if found != expected {
        return Err(InvalidReason::BadCheckCharacter {
            expected: digit_char(expected),
            found: digit_char(found),
        });
    }
    Ok(RegistrationNumber {
        value: value.to_owned(),
    })
}

/// The ISO 7064 MOD 11,10 check digit for `body`: the c with (p + c) mod 10 = 1.
fn mod11_10(body: &[u32]) -> u32 {
    let p = body.iter().fold(10, |p, d| {
        let s = match (p + d) % 10 {
            0 => 10,
            s => s,
        };
        2 * s % 11
    });
    (11 - p) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_satisfies_the_validity_rule() {
        // DOMAIN.md §1.3: valid when (p + check) mod 10 == 1. p is never 0 (2s mod 11 with s
        // in 1..=10), so the check digit is unique.
        for seed in 0..1000u32 {
            let body: Vec<u32> = (0..14)
                .map(|i| (seed * 7 + i * 13 + seed / 10) % 10)
                .collect();
            let p = body.iter().fold(10, |p, d| {
                let s = if (p + d) % 10 == 0 { 10 } else { (p + d) % 10 };
                2 * s % 11
            });
            assert_eq!((p + mod11_10(&body)) % 10, 1);
        }
    }
}
