//! Masking of `smtrust::realname` (DOMAIN.md §2.3, GB/T 35273 practice): the conventions on
//! typical values, and properties on random values of every kind and length (fixed seeds):
//! a mask never reveals more characters than its rule, keeps the character length, and never
//! contains the full value.

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::realname::{
    CheckOptions, Date, IdKind, MaskField, MaskPolicy, MaskRule, Outcome, check,
};

fn below(rng: &mut ChaCha20Rng, n: usize) -> usize {
    usize::try_from(rng.next_u64() % u64::try_from(n).unwrap()).unwrap()
}

fn options() -> CheckOptions {
    CheckOptions::new(Date::new(2026, 11, 26).unwrap())
}

/// Checks every promise of `rule` for `value`, returning the masked text.
fn assert_masks(rule: MaskRule, value: &str) -> String {
    let masked = rule.apply(value);
    let input: Vec<char> = value.chars().collect();
    let output: Vec<char> = masked.chars().collect();
    let length = input.len();
    assert_eq!(output.len(), length, "{value:?} → {masked:?}: length kept");

    // What is shown is a prefix and a suffix of the input; everything else is '*'.
    let front = input
        .iter()
        .zip(&output)
        .take_while(|(i, o)| i == o)
        .count();
    let back = input
        .iter()
        .rev()
        .zip(output.iter().rev())
        .take(length - front)
        .take_while(|(i, o)| i == o)
        .count();
    let hidden = &output[front..length - back];
    assert!(hidden.iter().all(|&c| c == '*'), "{value:?} → {masked:?}");

    // Never more than the rule: at most keep_first in front, keep_last behind, and at least
    // min_hidden (or everything) hidden.
    assert!(
        front <= rule.keep_first(),
        "{value:?} → {masked:?}: front {front}"
    );
    assert!(
        back <= rule.keep_last(),
        "{value:?} → {masked:?}: back {back}"
    );
    assert!(
        length - front - back >= rule.min_hidden().min(length),
        "{value:?} → {masked:?}: hidden {}",
        length - front - back
    );
    if length > 0 {
        assert!(front + back < length, "{value:?} shown whole");
        assert!(!masked.contains(value), "{value:?} → {masked:?}");
    }
    masked
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §2.3 conventions on typical values
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §2.3: the strict defaults (name 1, ID 1 + 1, mobile 3 + 4, card 6 + 4).
#[test]
fn strict_policy_conventions() {
    let policy = MaskPolicy::default();
    assert_eq!(policy, MaskPolicy::STRICT);
    let cases = [
        (MaskField::Name, "张三", "张*"),
        (MaskField::Name, "欧阳娜娜", "欧***"),
        (MaskField::Name, "John Smith", "J*********"),
        (
            MaskField::ResidentId,
            "11010519491231002X",
            "1****************X",
        ),
        (MaskField::Mobile, "13812345678", "138****5678"),
        (
            MaskField::BankCard,
            "6212280200141664948",
            "621228*********4948",
        ),
        (MaskField::BankCard, "4111111111111111", "411111******1111"),
    ];
    for (field, value, masked) in cases {
        assert_eq!(policy.mask(field, value), masked);
        assert_eq!(assert_masks(policy.rule(field), value), masked);
    }
}

/// DOMAIN.md §2.3: first 6 + last 4 for resident IDs is an operator option.
#[test]
fn operator_option_for_resident_ids() {
    let policy = MaskPolicy::STRICT.with_resident_id(MaskRule::RESIDENT_ID_REGION_AND_TAIL);
    assert_eq!(
        policy.mask(MaskField::ResidentId, "11010519491231002X"),
        "110105********002X"
    );
    // The other fields keep their strict rules.
    assert_eq!(policy.mask(MaskField::Mobile, "13812345678"), "138****5678");
    let custom = MaskPolicy::STRICT
        .with_name(MaskRule::new(0, 0, 1))
        .with_mobile(MaskRule::new(3, 0, 8))
        .with_bank_card(MaskRule::new(4, 4, 8));
    assert_eq!(custom.mask(MaskField::Name, "张三"), "**");
    assert_eq!(custom.mask(MaskField::Mobile, "13812345678"), "138********");
    assert_eq!(
        custom.mask(MaskField::BankCard, "6212280200141664948"),
        "6212***********4948"
    );
}

/// DOMAIN.md §2.3: identifiers from `check` mask by their kind; organisation identifiers are
/// public and stay whole.
#[test]
fn identifiers_mask_by_kind() {
    let cases = [
        (
            "11010519491231002X",
            IdKind::ResidentId,
            "1****************X",
        ),
        ("+86 138 1234 5678", IdKind::Mobile, "138****5678"),
        (
            "6212280200141664948",
            IdKind::BankCard,
            "621228*********4948",
        ),
        (
            "91110000600037341L",
            IdKind::SocialCreditCode,
            "91110000600037341L",
        ),
        (
            "310000000000018",
            IdKind::RegistrationNumber,
            "310000000000018",
        ),
    ];
    for (value, kind, masked) in cases {
        let outcome = check(value, kind, &options());
        let Outcome::Valid(identifier) = outcome else {
            panic!("{value}: {outcome:?}")
        };
        assert_eq!(identifier.masked(&MaskPolicy::STRICT), masked);
    }
}

/// Values too short for their rule reveal less, never more (GB/T 35273 minimisation).
#[test]
fn short_values_reveal_less() {
    let cases = [
        (MaskRule::NAME, "张", "*"),
        (MaskRule::MOBILE, "1381234", "138****"),
        (MaskRule::MOBILE, "1234", "****"),
        (MaskRule::MOBILE, "12345678", "123****8"),
        (
            MaskRule::RESIDENT_ID_STRICT,
            "110105491231002",
            "1*************2",
        ),
        (MaskRule::RESIDENT_ID_STRICT, "X", "*"),
        (
            MaskRule::RESIDENT_ID_REGION_AND_TAIL,
            "110105491231002",
            "110105********2",
        ),
        (MaskRule::BANK_CARD, "4111111111111", "411111******1"),
        (MaskRule::BANK_CARD, "123456", "******"),
    ];
    for (rule, value, masked) in cases {
        assert_eq!(assert_masks(rule, value), masked, "{value}");
    }
    assert_eq!(MaskRule::NAME.apply(""), "");
}

// ---------------------------------------------------------------------------------------
// Properties on random values (fixed seeds)
// ---------------------------------------------------------------------------------------

const ROUNDS: usize = 3000;

fn random_string(rng: &mut ChaCha20Rng, alphabet: &[char], length: usize) -> String {
    (0..length)
        .map(|_| alphabet[below(rng, alphabet.len())])
        .collect()
}

/// Every named rule, on values of every length 0–40 drawn from digits, letters and Chinese
/// characters.
#[test]
fn named_rules_on_random_values_of_every_length() {
    let mut rng = ChaCha20Rng::seed_from_u64(35273);
    let alphabet: Vec<char> = "0123456789X张王李欧阳娜丰 ABC·".chars().collect();
    let rules = [
        MaskRule::NAME,
        MaskRule::MOBILE,
        MaskRule::RESIDENT_ID_STRICT,
        MaskRule::RESIDENT_ID_REGION_AND_TAIL,
        MaskRule::BANK_CARD,
    ];
    for round in 0..ROUNDS {
        let length = round % 41;
        let value = random_string(&mut rng, &alphabet, length);
        for rule in rules {
            let _ = assert_masks(rule, &value);
        }
    }
}

/// Random rules (including ones that keep more than the value has) on random values.
#[test]
fn random_rules_on_random_values() {
    let mut rng = ChaCha20Rng::seed_from_u64(352732);
    let alphabet: Vec<char> = "0123456789张三李四XY".chars().collect();
    for _ in 0..ROUNDS * 3 {
        let rule = MaskRule::new(
            below(&mut rng, 12),
            below(&mut rng, 12),
            below(&mut rng, 12),
        );
        let length = below(&mut rng, 30);
        let value = random_string(&mut rng, &alphabet, length);
        let _ = assert_masks(rule, &value);
    }
}

/// Each strict rule on values of its own kind: random valid identifiers (IDs, mobiles,
/// cards) and Chinese names of 1–4 characters.
#[test]
fn strict_policy_on_random_identifiers_and_names() {
    let mut rng = ChaCha20Rng::seed_from_u64(352733);
    let surnames: Vec<char> = "张王李赵刘陈杨黄周吴".chars().collect();
    let given: Vec<char> = "伟芳娜敏静丽强磊军洋".chars().collect();
    let policy = MaskPolicy::STRICT;
    for _ in 0..ROUNDS {
        let length = 1 + below(&mut rng, 4);
        let mut name = random_string(&mut rng, &surnames, 1);
        name.push_str(&random_string(&mut rng, &given, length - 1));
        let masked = assert_masks(policy.rule(MaskField::Name), &name);
        assert_eq!(
            masked.chars().next(),
            if length == 1 {
                Some('*')
            } else {
                name.chars().next()
            }
        );

        let digits: Vec<char> = "0123456789".chars().collect();
        let mobile = format!(
            "1{}{}",
            3 + below(&mut rng, 7),
            random_string(&mut rng, &digits, 9)
        );
        let masked = assert_masks(policy.rule(MaskField::Mobile), &mobile);
        assert_eq!(masked.chars().filter(|&c| c == '*').count(), 4);

        let id = format!("11{}", random_string(&mut rng, &digits, 16));
        let masked = assert_masks(policy.rule(MaskField::ResidentId), &id);
        assert_eq!(masked.chars().filter(|&c| c == '*').count(), 16);

        let card_length = 13 + below(&mut rng, 7);
        let card = random_string(&mut rng, &digits, card_length);
        let masked = assert_masks(policy.rule(MaskField::BankCard), &card);
        let shown = card_length - masked.chars().filter(|&c| c == '*').count();
        assert!(shown <= 10, "{card} → {masked}");
    }
}
