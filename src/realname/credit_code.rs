//! Unified social credit codes (统一社会信用代码, GB 32100-2015), with the organisation code
//! (GB 11714-1997) they embed.
//!
//! Checks, in order (DOMAIN.md §1.3):
//! 1. 18 characters of the 31-character alphabet `0–9 A–Z` without `I O S V Z`, with the
//!    administrative-division code (positions 3 to 8) all digits;
//! 2. the check character, position 18: `(31 − Σ vᵢ·Wᵢ mod 31) mod 31` with Wᵢ = 3^(i−1)
//!    mod 31, mapped back through the alphabet. The known Fujian/Xiamen pilot codes fail it
//!    and are reported [`Suspicious`](super::Outcome::Suspicious), not invalid;
//! 3. the embedded organisation code, positions 9 to 17: `11 − (Σ vᵢ·Wᵢ mod 11)` over
//!    positions 9 to 16 with weights 3 7 9 10 5 8 4 2, 10 written `X` and 11 written `0`;
//! 4. the department (position 1) and organisation category (position 2) against the codes
//!    this library knows; an unknown one is suspicious, not invalid, since codes are added by
//!    notice.
//!
//! A code on the caller's allow-list
//! ([`CheckOptions::allow_credit_code`](super::CheckOptions::allow_credit_code)) skips
//! steps 2 to 4.

use super::options::CheckOptions;
use super::scan;
use super::{CharClass, ExpectedLength, Identifier, InvalidReason, Outcome, SuspiciousReason};

/// The GB 32100 alphabet; a character's value is its index.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Early Fujian and Xiamen pilot codes that are legitimate although their check character is
/// wrong (DOMAIN.md §1.3, source [S4] there).
const PILOT_CODES: [&str; 3] = [
    "91350100M0001TGQXM",
    "91350211M0000XUF46",
    "91350203M0001FUE2P",
];

/// A unified social credit code that passed its checks (or is on the caller's allow-list).
///
/// Only [`check`](super::check) makes one. Credit codes identify organisations and are
/// published in the national enterprise credit information system, so they are not treated
/// as personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialCreditCode {
    // Invariant: 18 characters of the GB 32100 alphabet (checked by `shape`), so the
    // accessors' fallbacks are never used.
    value: String,
    on_allow_list: bool,
}

impl SocialCreditCode {
    /// The 18-character code.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Position 1: the registration-management department (`9` is market regulation).
    pub fn department(&self) -> char {
        self.value.chars().next().unwrap_or_default()
    }

    /// Position 2: the organisation category, interpreted per department (under `9`: `1`
    /// enterprise, `2` individual business, `3` farmers' cooperative).
    pub fn category(&self) -> char {
        self.value.chars().nth(1).unwrap_or_default()
    }

    /// Positions 3 to 8: the administrative division of the registering authority.
    pub fn division_code(&self) -> &str {
        self.value.get(2..8).unwrap_or_default()
    }

    /// Positions 9 to 17: the embedded GB 11714 organisation code, with its check character.
    pub fn organisation_code(&self) -> &str {
        self.value.get(8..17).unwrap_or_default()
    }

    /// Whether the code was on the caller's allow-list, which let it pass without the check
    /// character, organisation-code and department rules.
    pub fn on_allow_list(&self) -> bool {
        self.on_allow_list
    }
}

/// Checks a normalised unified social credit code.
pub(super) fn check(value: &str, options: &CheckOptions) -> Outcome {
    let values = match shape(value) {
        Ok(values) => values,
        Err(reason) => return Outcome::Invalid(reason),
    };
    let on_allow_list = options.allows_credit_code(value);
    let code = SocialCreditCode {
        value: value.to_owned(),
        on_allow_list,
    };
    if on_allow_list {
        return Outcome::Valid(Identifier::SocialCreditCode(code));
    }
    let [body @ .., found_value] = values;
    let expected = check_character(&body);
    let found = alphabet_char(found_value);
    if expected != found {
        if PILOT_CODES.contains(&value) {
            let reason = SuspiciousReason::PilotCode { expected, found };
            return Outcome::Suspicious(Identifier::SocialCreditCode(code), reason);
        }
        return Outcome::Invalid(InvalidReason::BadCheckCharacter { expected, found });
    }
    if let Err(reason) = organisation_code(value) {
        return Outcome::Invalid(reason);
    }
    match registration_department(code.department(), code.category()) {
        Some(reason) => Outcome::Suspicious(Identifier::SocialCreditCode(code), reason),
        None => Outcome::Valid(Identifier::SocialCreditCode(code)),
    }
}

/// Step 1: the alphabet values of the 18 characters, if the code has a credit code's shape.
pub(super) fn shape(value: &str) -> Result<[u32; 18], InvalidReason> {
    let chars = scan::exact::<18>(value, ExpectedLength::Exactly(18))?;
    let mut values = [0; 18];
    for (index, (slot, &c)) in values.iter_mut().zip(&chars).enumerate() {
        let position = index + 1;
        *slot = alphabet_value(c).ok_or(scan::bad(c, position, CharClass::CreditCodeAlphabet))?;
        if (3..=8).contains(&position) && !c.is_ascii_digit() {
            return Err(scan::bad(c, position, CharClass::Digit));
        }
    }
    Ok(values)
}

/// Step 2: the GB 32100 check character for the first 17 values.
fn check_character(body: &[u32; 17]) -> char {
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    alphabet_char((31 - sum % 31) % 31)
}

/// Step 3: the GB 11714 check of the organisation code at positions 9 to 17.
fn organisation_code(value: &str) -> Result<(), InvalidReason> {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut chars = value.chars().skip(8);
    let sum: u32 = WEIGHTS
        .iter()
        .zip(chars.by_ref())
        .map(|(w, c)| w * organisation_value(c))
        .sum();
    let found = chars.next().unwrap_or_default();
    let expected = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => scan::digit_char(c),
    };
    if found == expected {
        Ok(())
    } else {
        Err(InvalidReason::BadOrganisationCodeCheck { expected, found })
    }
}

/// Step 4: a suspicion if the department or category is not one of the known codes
/// (DOMAIN.md §1.3). Categories are known only for departments 1, 5 and 9; for the others
/// any category is accepted.
fn registration_department(department: char, category: char) -> Option<SuspiciousReason> {
    // 1–9 and A–G, N (agriculture) and Y (other).
    let known_department = matches!(department, '1'..='9' | 'A'..='G' | 'N' | 'Y');
    if !known_department {
        return Some(SuspiciousReason::UnknownDepartment { code: department });
    }
    let known_category = match department {
        '1' | '5' => matches!(category, '1' | '2' | '3' | '9'),
        '9' => matches!(category, '1' | '2' | '3'),
        _ => true,
    };
    (!known_category).then_some(SuspiciousReason::UnknownCategory {
        department,
        category,
    })
}

fn alphabet_value(c: char) -> Option<u32> {
    // The alphabet is ASCII, so a byte index is a character index.
    ALPHABET.find(c).and_then(|index| u32::try_from(index).ok())
}

fn alphabet_char(value: u32) -> char {
    let index = usize::try_from(value).unwrap_or(usize::MAX);
    ALPHABET.chars().nth(index).unwrap_or_default()
}

/// GB 11714 character values: digits 0–9, letters A = 10 to Z = 35.
fn organisation_value(c: char) -> u32 {
    c.to_digit(36).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_has_31_characters_without_i_o_s_v_z() {
        assert_eq!(ALPHABET.len(), 31);
        for c in ['I', 'O', 'S', 'V', 'Z'] {
            assert_eq!(alphabet_value(c), None, "{c}");
        }
        assert_eq!(alphabet_value('Y'), Some(30));
        assert_eq!(alphabet_char(30), 'Y');
        assert_eq!(alphabet_char(0), '0');
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        // DOMAIN.md §1.3: Wᵢ = 3^(i−1) mod 31. A body with a single 1 at position i has
        // S = Wᵢ.
        let mut power = 1;
        for i in 0..17 {
            let mut body = [0; 17];
            body[i] = 1;
            assert_eq!(
                check_character(&body),
                alphabet_char((31 - power) % 31),
                "W{i}"
            );
            power = power * 3 % 31;
        }
    }

    #[test]
    fn organisation_code_domain_vector() {
        // DOMAIN.md §1.3: 60003734-1 inside 91110000600037341L.
        assert_eq!(organisation_code("91110000600037341L"), Ok(()));
        assert_eq!(
            organisation_code("91110000600037342L"),
            Err(InvalidReason::BadOrganisationCodeCheck {
                expected: '1',
                found: '2'
            })
        );
    }

    #[test]
    fn department_and_category_tables() {
        assert_eq!(registration_department('9', '1'), None);
        assert_eq!(registration_department('1', '9'), None);
        assert_eq!(registration_department('N', '7'), None);
        assert_eq!(
            registration_department('H', '1'),
            Some(SuspiciousReason::UnknownDepartment { code: 'H' })
        );
        assert_eq!(
            registration_department('9', '4'),
            Some(SuspiciousReason::UnknownCategory {
                department: '9',
                category: '4'
            })
        );
    }
}
