//! Identifier checks of `smtrust::realname`: every vector of DOMAIN.md §1 (valid and invalid),
//! normalisation, automatic detection, and thousands of generated identifiers (fixed seeds)
//! whose check characters come from independent implementations written here, each mutated
//! and required to fail.

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::realname::{
    CharClass, CheckOptions, Date, Error, Expect, ExpectedLength, IdKind, Identifier,
    InvalidReason, LegacyResidentIds, MAX_INPUT_CHARS, Outcome, Sex, SuspiciousReason, check,
};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The fixed "today" of every test.
fn today() -> Date {
    Date::new(2026, 11, 26).unwrap()
}

fn options() -> CheckOptions {
    CheckOptions::new(today())
}

fn legacy_options() -> CheckOptions {
    options().with_legacy_resident_ids(LegacyResidentIds::ConvertForImport)
}

fn date(year: u16, month: u8, day: u8) -> Date {
    Date::new(year, month, day).unwrap()
}

/// The identifier of a valid outcome; fails the test otherwise.
fn valid(value: &str, expect: impl Into<Expect>, options: &CheckOptions) -> Identifier {
    match check(value, expect, options) {
        Outcome::Valid(identifier) => identifier,
        other => panic!("{value}: expected Valid, got {other:?}"),
    }
}

/// The reason of an invalid outcome; fails the test otherwise.
fn invalid(value: &str, expect: impl Into<Expect>, options: &CheckOptions) -> InvalidReason {
    match check(value, expect, options) {
        Outcome::Invalid(reason) => reason,
        other => panic!("{value}: expected Invalid, got {other:?}"),
    }
}

fn resident(identifier: Identifier) -> smtrust::realname::ResidentId {
    match identifier {
        Identifier::ResidentId(id) => id,
        other => panic!("expected a resident ID, got {other:?}"),
    }
}

fn credit_code(identifier: Identifier) -> smtrust::realname::SocialCreditCode {
    match identifier {
        Identifier::SocialCreditCode(code) => code,
        other => panic!("expected a credit code, got {other:?}"),
    }
}

fn bad_check(expected: char, found: char) -> InvalidReason {
    InvalidReason::BadCheckCharacter { expected, found }
}

fn bad_char(position: usize, found: char, expected: CharClass) -> InvalidReason {
    InvalidReason::BadCharacter {
        position,
        found,
        expected,
    }
}

fn below(rng: &mut ChaCha20Rng, n: usize) -> usize {
    usize::try_from(rng.next_u64() % u64::try_from(n).unwrap()).unwrap()
}

fn random_digits(rng: &mut ChaCha20Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(u32::try_from(below(rng, 10)).unwrap(), 10).unwrap())
        .collect()
}

fn digit_values(s: &str) -> Vec<u32> {
    s.chars().map(|c| c.to_digit(10).unwrap()).collect()
}

// ---------------------------------------------------------------------------------------
// Independent check-character implementations, written from DOMAIN.md §1 and not from the
// library: closed forms and searches where the library uses tables and direct formulas.
// ---------------------------------------------------------------------------------------

/// GB 11643 / ISO 7064 MOD 11-2 in closed form: c = (12 − S mod 11) mod 11, Wᵢ = 2^(18−i) mod 11.
fn reference_mod11_2(body17: &str) -> char {
    let s: u32 = body17
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let weight = (0..(17 - i)).fold(1, |w, _| w * 2 % 11);
            c.to_digit(10).unwrap() * weight
        })
        .sum();
    match (12 - s % 11) % 11 {
        10 => 'X',
        c => char::from_digit(c, 10).unwrap(),
    }
}

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100: the character that makes Σ vᵢ·3^(i−1) + v₁₈ ≡ 0 (mod 31), found by search.
fn reference_credit_check(body17: &str) -> char {
    let s: u32 = body17
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let weight = (0..i).fold(1, |w, _| w * 3 % 31);
            u32::try_from(CREDIT_ALPHABET.find(c).unwrap()).unwrap() * weight
        })
        .sum();
    CREDIT_ALPHABET
        .chars()
        .enumerate()
        .find(|&(v, _)| (s + u32::try_from(v).unwrap()).is_multiple_of(31))
        .map(|(_, c)| c)
        .unwrap()
}

/// GB 11714: C9 = 11 − (S mod 11), 10 → X, 11 → 0, values A = 10 … Z = 35.
fn reference_org_check(body8: &str) -> char {
    let weights = [3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = body8
        .chars()
        .zip(weights)
        .map(|(c, w)| {
            let v = if c.is_ascii_digit() {
                u32::from(c) - u32::from('0')
            } else {
                u32::from(c) - u32::from('A') + 10
            };
            v * w
        })
        .sum();
    match 11 - s % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap(),
    }
}

/// GS 15-2006 / ISO 7064 MOD 11,10 as DOMAIN.md §1.3 states it, for a whole number.
fn reference_registration_valid(number15: &str) -> bool {
    let digits = digit_values(number15);
    let mut p = 10;
    for &d in &digits[..14] {
        let mut s = (p + d) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    (p + digits[14]) % 10 == 1
}

fn reference_registration_check(body14: &str) -> char {
    (0..10)
        .map(|d| char::from_digit(d, 10).unwrap())
        .find(|&c| reference_registration_valid(&format!("{body14}{c}")))
        .unwrap()
}

/// Luhn as DOMAIN.md §1.5 states it, for a whole number.
fn reference_luhn_valid(number: &str) -> bool {
    let sum: u32 = digit_values(number)
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn reference_luhn_check(payload: &str) -> char {
    (0..10)
        .map(|d| char::from_digit(d, 10).unwrap())
        .find(|&c| reference_luhn_valid(&format!("{payload}{c}")))
        .unwrap()
}

/// A body with its check character, for building test values.
fn with_resident_check(body17: &str) -> String {
    format!("{body17}{}", reference_mod11_2(body17))
}

fn with_credit_check(body17: &str) -> String {
    format!("{body17}{}", reference_credit_check(body17))
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1.1: resident identity number, GB 11643-1999
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1.1 valid vectors [S1][S32], with the fields they record.
#[test]
fn gb11643_domain_valid_vectors() {
    let cases = [
        (
            "11010519491231002X",
            date(1949, 12, 31),
            Sex::Female,
            "110105",
        ),
        ("360426199101010071", date(1991, 1, 1), Sex::Male, "360426"),
        ("440524188001010014", date(1880, 1, 1), Sex::Male, "440524"),
        ("110101202311012176", date(2023, 11, 1), Sex::Male, "110101"),
    ];
    for (value, birth, sex, address) in cases {
        let id = resident(valid(value, IdKind::ResidentId, &options()));
        assert_eq!(id.value(), value);
        assert_eq!(id.birth_date(), birth, "{value}");
        assert_eq!(id.sex(), sex, "{value}");
        assert_eq!(id.address_code(), address);
        assert!(!id.converted_from_15());
    }
}

/// DOMAIN.md §1.1 invalid vector: 110101202311012171, whose check should be 6.
#[test]
fn gb11643_domain_invalid_vector() {
    assert_eq!(
        invalid("110101202311012171", IdKind::ResidentId, &options()),
        bad_check('6', '1')
    );
}

/// DOMAIN.md §1.1: position 18 is a digit or X; positions 1–17 are digits.
#[test]
fn gb11643_character_classes() {
    assert_eq!(
        invalid("11010519491231002Y", IdKind::ResidentId, &options()),
        bad_char(18, 'Y', CharClass::DigitOrX)
    );
    assert_eq!(
        invalid("1101051949123100AX", IdKind::ResidentId, &options()),
        bad_char(17, 'A', CharClass::Digit)
    );
    assert_eq!(
        invalid("X1010519491231002X", IdKind::ResidentId, &options()),
        bad_char(1, 'X', CharClass::Digit)
    );
    assert_eq!(
        invalid("110105一9491231002X", IdKind::ResidentId, &options()),
        bad_char(7, '一', CharClass::Digit)
    );
}

/// DOMAIN.md §1.1: 18 characters (15 only where legacy conversion is allowed).
#[test]
fn gb11643_length() {
    assert_eq!(
        invalid("11010519491231002", IdKind::ResidentId, &options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(18),
            found: 17
        }
    );
    assert_eq!(
        invalid("11010519491231002X1", IdKind::ResidentId, &legacy_options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Either(18, 15),
            found: 19
        }
    );
}

/// DOMAIN.md §1.1: province prefixes 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–83.
#[test]
fn gb11643_province_prefix() {
    for code in [
        "00", "10", "16", "20", "24", "38", "47", "55", "66", "70", "72", "84", "99",
    ] {
        let value = with_resident_check(&format!("{code}010519491231002"));
        assert_eq!(
            invalid(&value, IdKind::ResidentId, &options()),
            InvalidReason::UnknownProvince {
                code: code.parse().unwrap()
            },
            "{value}"
        );
    }
    for code in [
        "11", "15", "23", "37", "46", "50", "54", "65", "71", "81", "82", "83",
    ] {
        let value = with_resident_check(&format!("{code}010519491231002"));
        let _ = valid(&value, IdKind::ResidentId, &options());
    }
}

/// DOMAIN.md §1.1: the birth date must be a real Gregorian date, leap years included.
#[test]
fn gb11643_birth_date_must_exist() {
    let impossible = [
        ("19490230", 1949, 2, 30),
        ("19000229", 1900, 2, 29), // a century not divisible by 400
        ("20230229", 2023, 2, 29),
        ("19491301", 1949, 13, 1),
        ("19490001", 1949, 0, 1),
        ("19490100", 1949, 1, 0),
        ("19490431", 1949, 4, 31),
        ("00000101", 0, 1, 1),
    ];
    for (digits, year, month, day) in impossible {
        let value = with_resident_check(&format!("110105{digits}002"));
        assert_eq!(
            invalid(&value, IdKind::ResidentId, &options()),
            InvalidReason::ImpossibleBirthDate { year, month, day },
            "{value}"
        );
    }
    for (digits, birth) in [
        ("20000229", date(2000, 2, 29)),
        ("20240229", date(2024, 2, 29)),
        ("19491231", date(1949, 12, 31)),
    ] {
        let value = with_resident_check(&format!("110105{digits}002"));
        let id = resident(valid(&value, IdKind::ResidentId, &options()));
        assert_eq!(id.birth_date(), birth);
    }
}

/// DOMAIN.md §1.1: the birth date may not lie after the caller's today (given, not read).
#[test]
fn gb11643_birth_date_not_in_future() {
    let tomorrow = with_resident_check("11010520261127002");
    assert_eq!(
        invalid(&tomorrow, IdKind::ResidentId, &options()),
        InvalidReason::BirthDateInFuture {
            birth: date(2026, 11, 27),
            today: today()
        }
    );
    let born_today = with_resident_check("11010520261126002");
    let _ = valid(&born_today, IdKind::ResidentId, &options());
    // The same number is fine once the caller's today has moved on.
    let later = CheckOptions::new(date(2026, 11, 27));
    let _ = valid(&tomorrow, IdKind::ResidentId, &later);
}

/// DOMAIN.md §1.1: the sequence code's parity gives the sex.
#[test]
fn gb11643_sex_from_sequence_code() {
    for (sequence, sex) in [
        ("000", Sex::Female),
        ("001", Sex::Male),
        ("998", Sex::Female),
    ] {
        let value = with_resident_check(&format!("11010519900101{sequence}"));
        assert_eq!(
            resident(valid(&value, IdKind::ResidentId, &options())).sex(),
            sex
        );
    }
}

/// DOMAIN.md §1.1: the check comes before the field rules, so a mistyped number reports its
/// check character even when its date is also impossible.
#[test]
fn gb11643_check_character_reported_before_fields() {
    // 110105 19490230 002 with a check character computed for another body.
    assert_eq!(
        invalid("11010519490230002X", IdKind::ResidentId, &options()),
        bad_check(reference_mod11_2("11010519490230002"), 'X')
    );
}

/// DOMAIN.md §1.1: the 2023 foreign permanent-resident card starts with 9 and uses the same
/// MOD 11-2 check; its other digits are not read as address or date.
#[test]
fn foreign_permanent_resident_card() {
    let value = with_resident_check("93124019850612001");
    let identifier = valid(&value, IdKind::ForeignPermanentResidentId, &options());
    assert_eq!(identifier.kind(), IdKind::ForeignPermanentResidentId);
    assert_eq!(identifier.value(), value);
    // Digits 2–17 are not checked as a date: month 99 is fine.
    let odd = with_resident_check("93124019859912001");
    let _ = valid(&odd, IdKind::ForeignPermanentResidentId, &options());
}

/// DOMAIN.md §1.1: foreign permanent-resident card failures.
#[test]
fn foreign_permanent_resident_card_failures() {
    let citizen = "11010519491231002X";
    assert_eq!(
        invalid(citizen, IdKind::ForeignPermanentResidentId, &options()),
        bad_char(1, '1', CharClass::Nine)
    );
    let value = with_resident_check("93124019850612001");
    let wrong = format!(
        "{}{}",
        &value[..17],
        if value.ends_with('0') { '1' } else { '0' }
    );
    assert_eq!(
        invalid(&wrong, IdKind::ForeignPermanentResidentId, &options()),
        bad_check(value.chars().last().unwrap(), wrong.chars().last().unwrap())
    );
    // As a citizen number, 9x is not a province.
    assert_eq!(
        invalid(&value, IdKind::ResidentId, &options()),
        InvalidReason::UnknownProvince { code: 93 }
    );
    assert_eq!(
        invalid(
            "9312401985061200",
            IdKind::ForeignPermanentResidentId,
            &options()
        ),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(18),
            found: 16
        }
    );
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1.2: legacy 15-digit number, GB 11643-1989
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1.2 vector: 110105491231002 converts to 11010519491231002X, flagged.
#[test]
fn gb11643_1989_conversion_vector() {
    let id = resident(valid(
        "110105491231002",
        IdKind::ResidentId,
        &legacy_options(),
    ));
    assert_eq!(id.value(), "11010519491231002X");
    assert!(id.converted_from_15());
    assert_eq!(id.birth_date(), date(1949, 12, 31));
    assert_eq!(id.sex(), Sex::Female);
}

/// DOMAIN.md §1.2: 15-digit numbers only when importing legacy records (the default rejects).
#[test]
fn gb11643_1989_rejected_by_default() {
    assert_eq!(
        invalid("110105491231002", IdKind::ResidentId, &options()),
        InvalidReason::LegacyResidentIdNotAccepted
    );
}

/// DOMAIN.md §1.2: converted numbers still follow the §1.1 field rules.
#[test]
fn gb11643_1989_field_rules() {
    assert_eq!(
        invalid("110105490229002", IdKind::ResidentId, &legacy_options()),
        InvalidReason::ImpossibleBirthDate {
            year: 1949,
            month: 2,
            day: 29
        }
    );
    assert_eq!(
        invalid("990105491231002", IdKind::ResidentId, &legacy_options()),
        InvalidReason::UnknownProvince { code: 99 }
    );
    assert_eq!(
        invalid("11010549123100X", IdKind::ResidentId, &legacy_options()),
        bad_char(15, 'X', CharClass::Digit)
    );
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1.3: unified social credit code, GB 32100-2015 / GB 11714-1997
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1.3 valid vectors [S1][S32], with their fields.
#[test]
fn gb32100_domain_valid_vectors() {
    let code = credit_code(valid(
        "91110000600037341L",
        IdKind::SocialCreditCode,
        &options(),
    ));
    assert_eq!(code.value(), "91110000600037341L");
    assert_eq!(code.department(), '9');
    assert_eq!(code.category(), '1');
    assert_eq!(code.division_code(), "110000");
    assert_eq!(code.organisation_code(), "600037341");
    assert!(!code.on_allow_list());

    let code = credit_code(valid(
        "12100000400009880K",
        IdKind::SocialCreditCode,
        &options(),
    ));
    assert_eq!(code.department(), '1');
    assert_eq!(code.category(), '2');
    assert_eq!(code.organisation_code(), "400009880");
}

/// DOMAIN.md §1.3: a wrong position-18 character.
#[test]
fn gb32100_bad_check_character() {
    assert_eq!(
        invalid("91110000600037341M", IdKind::SocialCreditCode, &options()),
        bad_check('L', 'M')
    );
    assert_eq!(
        invalid("12100000400009880J", IdKind::SocialCreditCode, &options()),
        bad_check('K', 'J')
    );
}

/// DOMAIN.md §1.3: the alphabet has no I, O, S, V, Z; positions 3–8 are digits.
#[test]
fn gb32100_alphabet() {
    for (position, letter) in [(18, 'I'), (18, 'O'), (10, 'S'), (1, 'V'), (2, 'Z')] {
        let mut chars: Vec<char> = "91110000600037341L".chars().collect();
        chars[position - 1] = letter;
        let value: String = chars.into_iter().collect();
        assert_eq!(
            invalid(&value, IdKind::SocialCreditCode, &options()),
            bad_char(position, letter, CharClass::CreditCodeAlphabet),
            "{value}"
        );
    }
    let value = with_credit_check("91A10000600037341");
    assert_eq!(
        invalid(&value, IdKind::SocialCreditCode, &options()),
        bad_char(3, 'A', CharClass::Digit)
    );
    assert_eq!(
        invalid("91110000600037341", IdKind::SocialCreditCode, &options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(18),
            found: 17
        }
    );
}

/// DOMAIN.md §1.3: the embedded GB 11714 organisation code (60003734-1) has its own check.
#[test]
fn gb11714_embedded_organisation_code() {
    assert_eq!(reference_org_check("60003734"), '1');
    // Position 17 changed to 2 and position 18 recomputed, so only the embedded check fails.
    let value = with_credit_check("91110000600037342");
    assert_eq!(
        invalid(&value, IdKind::SocialCreditCode, &options()),
        InvalidReason::BadOrganisationCodeCheck {
            expected: '1',
            found: '2'
        }
    );
}

/// DOMAIN.md §1.3 [S4]: the Fujian/Xiamen pilot codes fail the position-18 check but are
/// legitimate, so they are suspicious, not invalid.
#[test]
fn gb32100_fujian_xiamen_pilot_codes() {
    for (value, expected, found) in [
        ("91350100M0001TGQXM", '1', 'M'),
        ("91350211M0000XUF46", 'R', '6'),
        ("91350203M0001FUE2P", 'J', 'P'),
    ] {
        assert_eq!(reference_credit_check(&value[..17]), expected);
        match check(value, IdKind::SocialCreditCode, &options()) {
            Outcome::Suspicious(Identifier::SocialCreditCode(code), reason) => {
                assert_eq!(code.value(), value);
                assert_eq!(reason, SuspiciousReason::PilotCode { expected, found });
            }
            other => panic!("{value}: {other:?}"),
        }
    }
}

/// DOMAIN.md §1.3: a code one character away from a pilot code is an ordinary typo.
#[test]
fn gb32100_near_pilot_code_is_invalid() {
    assert_eq!(
        invalid("91350100M0001TGQXN", IdKind::SocialCreditCode, &options()),
        bad_check('1', 'N')
    );
}

/// DOMAIN.md §1.3: the caller's allow-list accepts confirmed codes that fail the checks.
#[test]
fn gb32100_allow_list() {
    let allowing = options()
        .allow_credit_code("91350100m0001tgqxm")
        .unwrap()
        .allow_credit_code("9111 0000 6000 3734 1M")
        .unwrap();
    for value in ["91350100M0001TGQXM", "91110000600037341M"] {
        let code = credit_code(valid(value, IdKind::SocialCreditCode, &allowing));
        assert!(code.on_allow_list());
    }
    // Other codes are unaffected.
    assert_eq!(
        invalid("91350211M0000XUF4Y", IdKind::SocialCreditCode, &allowing),
        bad_check('R', 'Y')
    );
}

/// DOMAIN.md §1.3: an allow-list entry must have a credit code's shape.
#[test]
fn gb32100_allow_list_rejects_malformed_entries() {
    assert_eq!(
        options().allow_credit_code("9135010"),
        Err(Error::MalformedAllowListEntry {
            reason: InvalidReason::BadLength {
                expected: ExpectedLength::Exactly(18),
                found: 7
            }
        })
    );
    assert_eq!(
        options().allow_credit_code("91350100M0001TGQXO"),
        Err(Error::MalformedAllowListEntry {
            reason: bad_char(18, 'O', CharClass::CreditCodeAlphabet)
        })
    );
    assert_eq!(
        options().allow_credit_code(""),
        Err(Error::MalformedAllowListEntry {
            reason: InvalidReason::Empty
        })
    );
}

/// DOMAIN.md §1.3 [S5]: unknown department or category codes are suspicious, not invalid.
#[test]
fn gb32100_unknown_department_and_category() {
    let unknown_department = with_credit_check("H1110000600037341");
    match check(&unknown_department, IdKind::SocialCreditCode, &options()) {
        Outcome::Suspicious(_, reason) => {
            assert_eq!(reason, SuspiciousReason::UnknownDepartment { code: 'H' });
        }
        other => panic!("{other:?}"),
    }
    let unknown_category = with_credit_check("94110000600037341");
    match check(&unknown_category, IdKind::SocialCreditCode, &options()) {
        Outcome::Suspicious(_, reason) => assert_eq!(
            reason,
            SuspiciousReason::UnknownCategory {
                department: '9',
                category: '4'
            }
        ),
        other => panic!("{other:?}"),
    }
    // Known: department N (agriculture, added by notice), 5/3 (foundation), 9/3 (cooperative).
    for body in [
        "N1110000600037341",
        "53110000600037341",
        "93110000600037341",
    ] {
        let _ = valid(
            &with_credit_check(body),
            IdKind::SocialCreditCode,
            &options(),
        );
    }
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1.3: legacy registration number, GS 15-2006 (ISO 7064 MOD 11,10)
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1.3: registration numbers whose check digits were computed with the stated
/// rule (p = 10; s = (p + d) mod 10, 0 → 10; p = 2s mod 11; (p + check) mod 10 = 1).
#[test]
fn gs15_computed_vectors() {
    for value in ["310000000000018", "110108000000016", "440300100000006"] {
        assert!(reference_registration_valid(value));
        let identifier = valid(value, IdKind::RegistrationNumber, &options());
        assert_eq!(identifier.kind(), IdKind::RegistrationNumber);
        assert_eq!(identifier.value(), value);
        match identifier {
            Identifier::RegistrationNumber(number) => {
                assert_eq!(number.authority_code(), &value[..6]);
            }
            other => panic!("{other:?}"),
        }
    }
}

/// DOMAIN.md §1.3: registration-number failures.
#[test]
fn gs15_failures() {
    assert_eq!(
        invalid("310000000000017", IdKind::RegistrationNumber, &options()),
        bad_check('8', '7')
    );
    assert_eq!(
        invalid("31000000000001", IdKind::RegistrationNumber, &options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(15),
            found: 14
        }
    );
    assert_eq!(
        invalid("3100000000000A8", IdKind::RegistrationNumber, &options()),
        bad_char(14, 'A', CharClass::Digit)
    );
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1.4: mainland mobile numbers
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1.4: `^1[3-9]\d{9}$` after stripping +86, 0086 or 86.
#[test]
fn mobile_valid_forms() {
    for input in [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "8613812345678",
        "＋８６１３８１２３４５６７８",
    ] {
        let identifier = valid(input, IdKind::Mobile, &options());
        assert_eq!(identifier.value(), "13812345678", "{input}");
    }
    for input in ["19912345678", "16512345678", "14712345678"] {
        let _ = valid(input, IdKind::Mobile, &options());
    }
}

/// DOMAIN.md §1.4: mobile failures.
#[test]
fn mobile_failures() {
    assert_eq!(
        invalid("12812345678", IdKind::Mobile, &options()),
        bad_char(2, '2', CharClass::ThreeToNine)
    );
    assert_eq!(
        invalid("10012345678", IdKind::Mobile, &options()),
        bad_char(2, '0', CharClass::ThreeToNine)
    );
    assert_eq!(
        invalid("23812345678", IdKind::Mobile, &options()),
        bad_char(1, '2', CharClass::One)
    );
    assert_eq!(
        invalid("1381234567", IdKind::Mobile, &options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(11),
            found: 10
        }
    );
    assert_eq!(
        invalid("+1 202 555 0123", IdKind::Mobile, &options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(11),
            found: 12
        }
    );
    assert_eq!(
        invalid("1381234567a", IdKind::Mobile, &options()),
        bad_char(11, 'A', CharClass::Digit)
    );
    assert_eq!(
        invalid("+86 13812345678 9", IdKind::Mobile, &options()),
        InvalidReason::BadLength {
            expected: ExpectedLength::Exactly(11),
            found: 12
        }
    );
}

/// DOMAIN.md §1.4: 13-digit 14x numbers are IoT data numbers, not subjects of 3-factor checks.
#[test]
fn mobile_iot_numbers_rejected() {
    assert_eq!(
        invalid("1440123456789", IdKind::Mobile, &options()),
        InvalidReason::IotDataNumber
    );
    assert_eq!(
        invalid("+86 1440123456789", IdKind::Mobile, &options()),
        InvalidReason::IotDataNumber
    );
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1.5: bank card numbers (Luhn)
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1.5 vector: 6212280200141664948 passes Luhn.
#[test]
fn luhn_domain_vector() {
    let identifier = valid("6212 2802 0014 1664 948", IdKind::BankCard, &options());
    assert_eq!(identifier.kind(), IdKind::BankCard);
    assert_eq!(identifier.value(), "6212280200141664948");
}

/// DOMAIN.md §1.5: Luhn failures, lengths outside 13–19, non-digits.
#[test]
fn luhn_failures() {
    assert_eq!(
        invalid("6212280200141664949", IdKind::BankCard, &options()),
        bad_check('8', '9')
    );
    for (value, found) in [("621228020014", 12), ("62122802001416649480", 20)] {
        assert_eq!(
            invalid(value, IdKind::BankCard, &options()),
            InvalidReason::BadLength {
                expected: ExpectedLength::Between(13, 19),
                found
            }
        );
    }
    assert_eq!(
        invalid("62122802001416649A8", IdKind::BankCard, &options()),
        bad_char(18, 'A', CharClass::Digit)
    );
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §1 normalisation and input limits
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §1: full-width digits and letters, spaces, hyphens, lower case.
#[test]
fn normalisation_forms() {
    let id = "11010519491231002X";
    for input in [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        " 110105 1949 1231 002X ",
        "110105-19491231-002-x",
        "110105\u{3000}19491231\u{3000}002X",
        "110105\u{2010}19491231\u{2013}002X",
    ] {
        assert_eq!(
            valid(input, IdKind::ResidentId, &options()).value(),
            id,
            "{input:?}"
        );
    }
    for input in [
        "91110000600037341l",
        "９１１１００００６０００３７３４１Ｌ",
        "9111 0000 6000 3734 1L",
        "91110000-60003734-1L",
    ] {
        assert_eq!(
            valid(input, IdKind::SocialCreditCode, &options()).value(),
            "91110000600037341L",
            "{input:?}"
        );
    }
}

/// DOMAIN.md §1: input longer than the limit is rejected before any other work.
#[test]
fn input_length_limit() {
    let padded = format!("{}11010519491231002X", " ".repeat(MAX_INPUT_CHARS - 18));
    let _ = valid(&padded, IdKind::ResidentId, &options());
    let too_long = format!(" {padded}");
    for expect in [Expect::Auto, Expect::Kind(IdKind::ResidentId)] {
        assert_eq!(
            invalid(&too_long, expect, &options()),
            InvalidReason::TooLong {
                max_chars: MAX_INPUT_CHARS
            }
        );
    }
    let huge = "1".repeat(1_000_000);
    assert_eq!(
        invalid(&huge, Expect::Auto, &options()),
        InvalidReason::TooLong {
            max_chars: MAX_INPUT_CHARS
        }
    );
}

/// DOMAIN.md §1: nothing left after normalisation.
#[test]
fn empty_input() {
    for input in ["", "   ", "-", "\u{3000}"] {
        assert_eq!(
            invalid(input, Expect::Auto, &options()),
            InvalidReason::Empty
        );
        assert_eq!(
            invalid(input, IdKind::Mobile, &options()),
            InvalidReason::Empty
        );
    }
}

// ---------------------------------------------------------------------------------------
// Automatic detection (the table on `check`)
// ---------------------------------------------------------------------------------------

#[test]
fn auto_detects_each_kind() {
    let foreign = with_resident_check("93124019850612001");
    let cases = [
        ("11010519491231002x", IdKind::ResidentId),
        ("91110000600037341L", IdKind::SocialCreditCode),
        ("12100000400009880K", IdKind::SocialCreditCode),
        (foreign.as_str(), IdKind::ForeignPermanentResidentId),
        ("310000000000018", IdKind::RegistrationNumber),
        ("13812345678", IdKind::Mobile),
        ("+86 138 1234 5678", IdKind::Mobile),
        ("8613812345678", IdKind::Mobile),
        ("6212280200141664948", IdKind::BankCard),
        ("4111111111111111", IdKind::BankCard),
    ];
    for (input, kind) in cases {
        assert_eq!(
            valid(input, Expect::Auto, &options()).kind(),
            kind,
            "{input}"
        );
    }
}

/// An all-digit credit code starting with 9 is tried as a credit code before a foreign card:
/// 913100000458474404 satisfies both GB 32100 and MOD 11-2 (found by search).
#[test]
fn auto_prefers_credit_code_for_all_digit_codes_starting_with_9() {
    let value = "913100000458474404";
    assert_eq!(reference_credit_check(&value[..17]), '4');
    assert_eq!(reference_mod11_2(&value[..17]), '4');
    let _ = valid(value, IdKind::ForeignPermanentResidentId, &options());
    assert_eq!(
        valid(value, Expect::Auto, &options()).kind(),
        IdKind::SocialCreditCode
    );
}

/// DOMAIN.md §1.2 vector 110105491231002 also satisfies the registration-number check, so
/// automatic detection takes it as one; a caller importing legacy IDs names the kind.
#[test]
fn auto_detection_is_a_guess_for_15_digits() {
    assert!(reference_registration_valid("110105491231002"));
    assert_eq!(
        valid("110105491231002", Expect::Auto, &legacy_options()).kind(),
        IdKind::RegistrationNumber
    );
    assert_eq!(
        valid("110105491231002", IdKind::ResidentId, &legacy_options()).value(),
        "11010519491231002X"
    );
}

/// The first candidate's reason is reported when no candidate is valid.
#[test]
fn auto_reports_the_most_likely_kind() {
    assert_eq!(
        invalid("110101202311012171", Expect::Auto, &options()),
        bad_check('6', '1')
    );
    assert_eq!(
        invalid("91110000600037341M", Expect::Auto, &options()),
        bad_check('L', 'M')
    );
    assert_eq!(
        invalid("12812345678", Expect::Auto, &options()),
        bad_char(2, '2', CharClass::ThreeToNine)
    );
    assert_eq!(
        invalid("6212280200141664949", Expect::Auto, &options()),
        bad_check('8', '9')
    );
    match check("91350100M0001TGQXM", Expect::Auto, &options()) {
        Outcome::Suspicious(identifier, SuspiciousReason::PilotCode { .. }) => {
            assert_eq!(identifier.kind(), IdKind::SocialCreditCode);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn auto_rejects_unrecognised_shapes() {
    for (input, length) in [
        ("ABC", 3),
        ("1234", 4),
        ("E12345678", 9),
        ("12345678901234567890", 20),
    ] {
        assert_eq!(
            invalid(input, Expect::Auto, &options()),
            InvalidReason::UnrecognisedFormat { length },
            "{input}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Outcome helpers, Debug masking and Display sentences
// ---------------------------------------------------------------------------------------

#[test]
fn outcome_helpers() {
    let valid_outcome = check("13812345678", IdKind::Mobile, &options());
    assert!(valid_outcome.is_valid());
    assert_eq!(
        valid_outcome.identifier().map(Identifier::value),
        Some("13812345678")
    );
    let suspicious = check("91350100M0001TGQXM", IdKind::SocialCreditCode, &options());
    assert!(!suspicious.is_valid());
    assert_eq!(
        suspicious.identifier().map(Identifier::value),
        Some("91350100M0001TGQXM")
    );
    let invalid_outcome = check("1381234567", IdKind::Mobile, &options());
    assert!(!invalid_outcome.is_valid());
    assert_eq!(invalid_outcome.identifier(), None);
}

/// GB/T 35273 §6.3 practice: Debug output of personal identifiers is masked.
#[test]
fn debug_output_is_masked() {
    let cases = [
        (
            "11010519491231002X",
            IdKind::ResidentId,
            "1****************X",
        ),
        ("13812345678", IdKind::Mobile, "138****5678"),
        (
            "6212280200141664948",
            IdKind::BankCard,
            "621228*********4948",
        ),
    ];
    for (value, kind, masked) in cases {
        let debug = format!("{:?}", check(value, kind, &options()));
        assert!(!debug.contains(value), "{debug}");
        assert!(debug.contains(masked), "{debug}");
    }
    let foreign = with_resident_check("93124019850612001");
    let debug = format!(
        "{:?}",
        check(&foreign, IdKind::ForeignPermanentResidentId, &options())
    );
    assert!(!debug.contains(&foreign), "{debug}");
}

#[test]
fn display_sentences() {
    let cases: [(InvalidReason, &str); 6] = [
        (
            bad_check('6', '1'),
            "the check character is '1', but the rest of the identifier gives '6'",
        ),
        (
            bad_char(18, 'Y', CharClass::DigitOrX),
            "character 18 is 'Y', but must be a digit or X",
        ),
        (
            InvalidReason::BadLength {
                expected: ExpectedLength::Between(13, 19),
                found: 12,
            },
            "the identifier must have 13 to 19 characters but has 12",
        ),
        (
            InvalidReason::TooLong { max_chars: 64 },
            "the input is longer than 64 characters, so it was not examined",
        ),
        (
            InvalidReason::ImpossibleBirthDate {
                year: 1949,
                month: 2,
                day: 30,
            },
            "the birth date 1949-02-30 does not exist",
        ),
        (
            InvalidReason::BirthDateInFuture {
                birth: date(2026, 11, 27),
                today: today(),
            },
            "the birth date 2026-11-27 is after today, 2026-11-26",
        ),
    ];
    for (reason, sentence) in cases {
        assert_eq!(reason.to_string(), sentence);
    }
    assert_eq!(
        SuspiciousReason::UnknownDepartment { code: 'H' }.to_string(),
        "'H' is not a known registration-management department code"
    );
    assert_eq!(
        Error::InvalidDate {
            year: 2023,
            month: 2,
            day: 29
        }
        .to_string(),
        "2023-02-29 is not a date of the Gregorian calendar (years 1 to 9999)"
    );
}

// ---------------------------------------------------------------------------------------
// Generated identifiers (fixed seeds): valid ones pass; every single-character substitution
// and adjacent transposition the scheme can detect fails with the check-character reason.
// ---------------------------------------------------------------------------------------

const ROUNDS: usize = 3000;

/// Applies `f` to every single-character substitution of `value` drawn from `alphabet` at
/// each position, and to every transposition of adjacent different characters.
fn substitutions(value: &str, alphabet: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = value.chars().collect();
    let mut out = Vec::new();
    for position in 0..chars.len() {
        for replacement in alphabet.chars().filter(|&c| c != chars[position]) {
            let mut mutated = chars.clone();
            mutated[position] = replacement;
            out.push((position + 1, mutated.into_iter().collect()));
        }
    }
    out
}

fn transpositions(value: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = value.chars().collect();
    (0..chars.len() - 1)
        .filter(|&i| chars[i] != chars[i + 1])
        .map(|i| {
            let mut mutated = chars.clone();
            mutated.swap(i, i + 1);
            (i + 1, mutated.into_iter().collect())
        })
        .collect()
}

fn last_char(s: &str) -> char {
    s.chars().last().unwrap()
}

fn random_resident_id(rng: &mut ChaCha20Rng) -> (String, Date) {
    const PROVINCES: [u32; 37] = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 11, 44,
    ];
    let province = PROVINCES[below(rng, PROVINCES.len())];
    let birth = loop {
        let year = u16::try_from(1900 + below(rng, 127)).unwrap();
        let month = u8::try_from(1 + below(rng, 12)).unwrap();
        let day = u8::try_from(1 + below(rng, 31)).unwrap();
        if let Ok(birth) = Date::new(year, month, day)
            && birth <= today()
        {
            break birth;
        }
    };
    let body = format!(
        "{province}{}{:04}{:02}{:02}{}",
        random_digits(rng, 4),
        birth.year(),
        birth.month(),
        birth.day(),
        random_digits(rng, 3)
    );
    (with_resident_check(&body), birth)
}

/// GB 11643 §1.1: random valid numbers pass and record their birth date and sex.
#[test]
fn generated_resident_ids_are_valid() {
    let mut rng = ChaCha20Rng::seed_from_u64(11643);
    for _ in 0..ROUNDS {
        let (value, birth) = random_resident_id(&mut rng);
        let id = resident(valid(&value, IdKind::ResidentId, &options()));
        assert_eq!(id.birth_date(), birth);
        let sequence_digit = value[16..17].parse::<u32>().unwrap();
        let sex = if sequence_digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        assert_eq!(id.sex(), sex);
        // Lower case x and automatic detection give the same result.
        assert_eq!(
            valid(&value.to_lowercase(), Expect::Auto, &options()).value(),
            value
        );
    }
}

/// GB 11643 / ISO 7064 MOD 11-2 detects every single substitution and every adjacent
/// transposition (11 is prime and consecutive weights differ), so none is skipped. Only
/// transpositions that would move `X` out of position 18 are left out: they break the
/// character class instead, checked separately below.
#[test]
fn generated_resident_id_mutations_fail_the_check() {
    let mut rng = ChaCha20Rng::seed_from_u64(1164302);
    for _ in 0..ROUNDS / 10 {
        let (value, _) = random_resident_id(&mut rng);
        let mut mutations = substitutions(&value[..17], "0123456789");
        for replacement in "0123456789X".chars().filter(|&c| c != last_char(&value)) {
            mutations.push((18, format!("{}{replacement}", &value[..17])));
        }
        for (position, mutated) in mutations {
            let mutated = if position == 18 {
                mutated
            } else {
                format!("{mutated}{}", last_char(&value))
            };
            let expected = reference_mod11_2(&mutated[..17]);
            assert_eq!(
                invalid(&mutated, IdKind::ResidentId, &options()),
                bad_check(expected, last_char(&mutated)),
                "{value} → {mutated}"
            );
        }
        for (position, mutated) in transpositions(&value) {
            if mutated[..17].contains('X') {
                assert_eq!(
                    invalid(&mutated, IdKind::ResidentId, &options()),
                    bad_char(17, 'X', CharClass::Digit)
                );
                continue;
            }
            assert_eq!(
                invalid(&mutated, IdKind::ResidentId, &options()),
                bad_check(reference_mod11_2(&mutated[..17]), last_char(&mutated)),
                "{value} → {mutated} (swap at {position})"
            );
        }
    }
}

/// DOMAIN.md §1.2: random legacy numbers convert to the 18-digit form with the check
/// character the closed form gives.
#[test]
fn generated_legacy_ids_convert() {
    let mut rng = ChaCha20Rng::seed_from_u64(1989);
    for _ in 0..ROUNDS {
        let (value, birth) = random_resident_id(&mut rng);
        if birth.year() >= 2000 {
            continue;
        }
        let legacy = format!("{}{}", &value[..6], &value[8..17]);
        let id = resident(valid(&legacy, IdKind::ResidentId, &legacy_options()));
        assert_eq!(id.value(), value);
        assert!(id.converted_from_15());
    }
}

fn random_foreign_id(rng: &mut ChaCha20Rng) -> String {
    with_resident_check(&format!("9{}", random_digits(rng, 16)))
}

/// DOMAIN.md §1.1 foreign card: random valid numbers pass; every mutation fails. A change to
/// position 1 breaks the leading 9 before the check is reached.
#[test]
fn generated_foreign_ids() {
    let mut rng = ChaCha20Rng::seed_from_u64(2023);
    for round in 0..ROUNDS {
        let value = random_foreign_id(&mut rng);
        let _ = valid(&value, IdKind::ForeignPermanentResidentId, &options());
        if round % 10 != 0 {
            continue;
        }
        for (position, mutated) in substitutions(&value[..17], "0123456789") {
            let mutated = format!("{mutated}{}", last_char(&value));
            let expected = if position == 1 {
                bad_char(1, mutated.chars().next().unwrap(), CharClass::Nine)
            } else {
                bad_check(reference_mod11_2(&mutated[..17]), last_char(&value))
            };
            assert_eq!(
                invalid(&mutated, IdKind::ForeignPermanentResidentId, &options()),
                expected
            );
        }
    }
}

fn random_credit_code(rng: &mut ChaCha20Rng) -> String {
    // (department, categories) pairs from DOMAIN.md §1.3, so the code is fully valid.
    const KNOWN: [(char, &str); 6] = [
        ('9', "123"),
        ('1', "1239"),
        ('5', "1239"),
        ('3', "0123456789"),
        ('Y', "19"),
        ('N', "12"),
    ];
    const BODY_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let (department, categories) = KNOWN[below(rng, KNOWN.len())];
    let category = categories
        .chars()
        .nth(below(rng, categories.len()))
        .unwrap();
    let division = random_digits(rng, 6);
    let organisation: String = (0..8)
        .map(|_| {
            BODY_ALPHABET
                .chars()
                .nth(below(rng, BODY_ALPHABET.len()))
                .unwrap()
        })
        .collect();
    let organisation_check = reference_org_check(&organisation);
    with_credit_check(&format!(
        "{department}{category}{division}{organisation}{organisation_check}"
    ))
}

/// GB 32100 / GB 11714: random valid codes pass, with their fields.
#[test]
fn generated_credit_codes_are_valid() {
    let mut rng = ChaCha20Rng::seed_from_u64(32100);
    for _ in 0..ROUNDS {
        let value = random_credit_code(&mut rng);
        let code = credit_code(valid(&value, IdKind::SocialCreditCode, &options()));
        assert_eq!(code.organisation_code(), &value[8..17]);
        assert_eq!(
            valid(&value.to_lowercase(), Expect::Auto, &options()).value(),
            value
        );
    }
}

/// GB 32100's MOD 31 check (31 prime, weights 3^(i−1) all non-zero and consecutive ones
/// different) detects every single substitution and adjacent transposition, so none is
/// skipped. Mutations that put a letter into positions 3–8 break the digit rule instead and
/// are checked for that reason.
#[test]
fn generated_credit_code_mutations_fail_the_check() {
    let mut rng = ChaCha20Rng::seed_from_u64(3210002);
    for _ in 0..ROUNDS / 10 {
        let value = random_credit_code(&mut rng);
        let mutations = substitutions(&value, CREDIT_ALPHABET)
            .into_iter()
            .chain(transpositions(&value));
        for (position, mutated) in mutations {
            let reason = invalid(&mutated, IdKind::SocialCreditCode, &options());
            let letter_in_division = mutated
                .char_indices()
                .find(|&(i, c)| (2..8).contains(&i) && !c.is_ascii_digit());
            let expected = match letter_in_division {
                Some((i, c)) => bad_char(i + 1, c, CharClass::Digit),
                None => bad_check(reference_credit_check(&mutated[..17]), last_char(&mutated)),
            };
            assert_eq!(
                reason, expected,
                "{value} → {mutated} (position {position})"
            );
        }
    }
}

fn random_registration_number(rng: &mut ChaCha20Rng) -> String {
    let body = random_digits(rng, 14);
    format!("{body}{}", reference_registration_check(&body))
}

/// GS 15-2006: random valid numbers pass. ISO 7064 MOD 11,10 detects every single
/// substitution; it misses some adjacent transpositions (about 2 % of them), which are
/// skipped after the reference confirms the mutated number is still valid, and which the
/// library must then accept too.
#[test]
fn generated_registration_numbers() {
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let mut undetectable = 0;
    let mut transposed = 0;
    for round in 0..ROUNDS {
        let value = random_registration_number(&mut rng);
        let _ = valid(&value, IdKind::RegistrationNumber, &options());
        if round % 10 != 0 {
            continue;
        }
        for (_, mutated) in substitutions(&value, "0123456789") {
            assert!(!reference_registration_valid(&mutated));
            let expected = reference_registration_check(&mutated[..14]);
            assert_eq!(
                invalid(&mutated, IdKind::RegistrationNumber, &options()),
                bad_check(expected, last_char(&mutated))
            );
        }
        for (_, mutated) in transpositions(&value) {
            transposed += 1;
            if reference_registration_valid(&mutated) {
                // Undetectable by the scheme: skip, but the library must agree it is valid.
                undetectable += 1;
                let _ = valid(&mutated, IdKind::RegistrationNumber, &options());
                continue;
            }
            assert_eq!(
                invalid(&mutated, IdKind::RegistrationNumber, &options()),
                bad_check(
                    reference_registration_check(&mutated[..14]),
                    last_char(&mutated)
                )
            );
        }
    }
    assert!(
        undetectable * 10 < transposed,
        "{undetectable} of {transposed}"
    );
}

fn random_mobile(rng: &mut ChaCha20Rng) -> String {
    format!("1{}{}", 3 + below(rng, 7), random_digits(rng, 9))
}

/// DOMAIN.md §1.4: random numbers in every prefix form pass. Mobile numbers have no check
/// digit, so only mutations of the first two digits can be detected.
#[test]
fn generated_mobiles() {
    let mut rng = ChaCha20Rng::seed_from_u64(86);
    for _ in 0..ROUNDS {
        let value = random_mobile(&mut rng);
        let forms = [
            value.clone(),
            format!("+86{value}"),
            format!("+86 {} {} {}", &value[..3], &value[3..7], &value[7..]),
            format!("0086-{value}"),
            format!("86{value}"),
        ];
        for form in forms {
            assert_eq!(valid(&form, IdKind::Mobile, &options()).value(), value);
            assert_eq!(
                valid(&form, Expect::Auto, &options()).kind(),
                IdKind::Mobile,
                "{form}"
            );
        }
        let second = below(&mut rng, 3);
        let mutated = format!("1{second}{}", &value[2..]);
        assert_eq!(
            invalid(&mutated, IdKind::Mobile, &options()),
            bad_char(2, mutated.chars().nth(1).unwrap(), CharClass::ThreeToNine)
        );
        let first = 2 + below(&mut rng, 8);
        let mutated = format!("{first}{}", &value[1..]);
        assert_eq!(
            invalid(&mutated, IdKind::Mobile, &options()),
            bad_char(1, mutated.chars().next().unwrap(), CharClass::One)
        );
    }
}

fn random_card(rng: &mut ChaCha20Rng) -> String {
    let length = 13 + below(rng, 7);
    let payload = if below(rng, 2) == 0 {
        format!("62{}", random_digits(rng, length - 3))
    } else {
        random_digits(rng, length - 1)
    };
    format!("{payload}{}", reference_luhn_check(&payload))
}

/// DOMAIN.md §1.5: random PANs of 13–19 digits pass. Luhn detects every single substitution
/// and every adjacent transposition except 09 ↔ 90 (both sum to 9 doubled or not), which are
/// skipped.
#[test]
fn generated_cards() {
    let mut rng = ChaCha20Rng::seed_from_u64(7812);
    for round in 0..ROUNDS {
        let value = random_card(&mut rng);
        let _ = valid(&value, IdKind::BankCard, &options());
        if round % 10 != 0 {
            continue;
        }
        for (_, mutated) in substitutions(&value, "0123456789") {
            let payload = &mutated[..mutated.len() - 1];
            assert_eq!(
                invalid(&mutated, IdKind::BankCard, &options()),
                bad_check(reference_luhn_check(payload), last_char(&mutated))
            );
        }
        for (position, mutated) in transpositions(&value) {
            let pair = &value[position - 1..=position];
            if pair == "09" || pair == "90" {
                assert!(reference_luhn_valid(&mutated));
                continue;
            }
            let payload = &mutated[..mutated.len() - 1];
            assert_eq!(
                invalid(&mutated, IdKind::BankCard, &options()),
                bad_check(reference_luhn_check(payload), last_char(&mutated))
            );
        }
    }
}

/// Random garbage of every length up to the limit never panics and is never valid for the
/// strict kinds unless the reference agrees.
#[test]
fn generated_garbage_is_handled() {
    let mut rng = ChaCha20Rng::seed_from_u64(0xBAD);
    let alphabet: Vec<char> = "0123456789ABXxz -+一１Ｘ\u{3000}".chars().collect();
    for _ in 0..ROUNDS {
        let length = below(&mut rng, MAX_INPUT_CHARS + 8);
        let input: String = (0..length)
            .map(|_| alphabet[below(&mut rng, alphabet.len())])
            .collect();
        for expect in [
            Expect::Auto,
            Expect::Kind(IdKind::ResidentId),
            Expect::Kind(IdKind::ForeignPermanentResidentId),
            Expect::Kind(IdKind::SocialCreditCode),
            Expect::Kind(IdKind::RegistrationNumber),
            Expect::Kind(IdKind::Mobile),
            Expect::Kind(IdKind::BankCard),
        ] {
            let outcome = check(&input, expect, &legacy_options());
            if input.chars().count() > MAX_INPUT_CHARS {
                assert_eq!(
                    outcome,
                    Outcome::Invalid(InvalidReason::TooLong {
                        max_chars: MAX_INPUT_CHARS
                    })
                );
            }
        }
    }
}
