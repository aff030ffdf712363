//! Masking (脱敏) for display, following GB/T 35273 practice (DOMAIN.md §2.3): strict by
//! default, configurable per field, and never revealing more than the rule says.
//!
//! A rule keeps the first `keep_first` and the last `keep_last` characters and replaces every
//! other character with `*`, so the output has as many characters as the input. It also
//! hides at least `min_hidden` characters (never fewer than one): when a value is too short
//! for that, fewer characters are kept, taken from the end first. A short or odd value is
//! therefore masked more, never less. Rules count `char`s, so a Chinese name masks by
//! character, not by byte.
//!
//! Masked values are de-identified, not anonymised: they are still personal information.

/// A masking rule: how many leading and trailing characters stay visible.
///
/// ```
/// use smtrust::realname::MaskRule;
///
/// assert_eq!(MaskRule::NAME.apply("张三丰"), "张**");
/// assert_eq!(MaskRule::MOBILE.apply("13812345678"), "138****5678");
/// assert_eq!(MaskRule::RESIDENT_ID_STRICT.apply("11010519491231002X"), "1****************X");
/// assert_eq!(MaskRule::RESIDENT_ID_REGION_AND_TAIL.apply("11010519491231002X"), "110105********002X");
/// assert_eq!(MaskRule::BANK_CARD.apply("6212280200141664948"), "621228*********4948");
/// // Too short for the rule: more is hidden, never less.
/// assert_eq!(MaskRule::MOBILE.apply("1381234"), "138****");
/// assert_eq!(MaskRule::NAME.apply("张"), "*");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaskRule {
    keep_first: usize,
    keep_last: usize,
    min_hidden: usize,
}

impl MaskRule {
    /// Names: the first character (`张**`).
    pub const NAME: Self = Self::new(1, 0, 1);
    /// Mobile numbers: first 3 and last 4 (`138****5678`); at least 4 hidden.
    pub const MOBILE: Self = Self::new(3, 4, 4);
    /// Resident ID numbers, the strict default: first 1 and last 1; at least 13 hidden, so a
    /// 15-digit number also shows only its ends.
    pub const RESIDENT_ID_STRICT: Self = Self::new(1, 1, 13);
    /// Resident ID numbers for operators who need the region: first 6 (the address code) and
    /// last 4; at least 8 hidden (the birth date of an 18-digit number).
    pub const RESIDENT_ID_REGION_AND_TAIL: Self = Self::new(6, 4, 8);
    /// Bank card numbers: first 6 (the issuer) and last 4; at least 6 hidden, so a 16-digit
    /// card shows 6 + 4 and a shorter one less.
    pub const BANK_CARD: Self = Self::new(6, 4, 6);

    /// A rule that keeps `keep_first` leading and `keep_last` trailing characters and hides
    /// at least `min_hidden` (a `min_hidden` of 0 is taken as 1, so no value is ever shown
    /// whole).
    pub const fn new(keep_first: usize, keep_last: usize, min_hidden: usize) -> Self {
        Self {
            keep_first,
            keep_last,
            min_hidden: if min_hidden == 0 { 1 } else { min_hidden },
        }
    }

    /// How many leading characters the rule shows, at most.
    pub const fn keep_first(&self) -> usize {
        self.keep_first
    }

    /// How many trailing characters the rule shows, at most.
    pub const fn keep_last(&self) -> usize {
        self.keep_last
    }

    /// How many characters the rule hides, at least (or all of a shorter value).
    pub const fn min_hidden(&self) -> usize {
        self.min_hidden
    }

    /// `value` with every character the rule does not show replaced by `*`. An empty value
    /// gives an empty string.
    pub fn apply(&self, value: &str) -> String {
        let length = value.chars().count();
        let shown = (self.keep_first + self.keep_last).min(length.saturating_sub(self.min_hidden));
        let front = self.keep_first.min(shown);
        let back = self.keep_last.min(shown - front);
        let back_starts = length - back;
        value
            .chars()
            .enumerate()
            .map(|(index, c)| {
                if index < front || index >= back_starts {
                    c
                } else {
                    '*'
                }
            })
            .collect()
    }
}

/// The kinds of personal data a [`MaskPolicy`] has a rule for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MaskField {
    /// A person's name.
    Name,
    /// A resident or foreign permanent-resident ID number.
    ResidentId,
    /// A mobile number.
    Mobile,
    /// A bank card number.
    BankCard,
}

/// One masking rule per field. [`MaskPolicy::STRICT`] (also the `Default`) uses the strict
/// rule for each; operators can widen a field with a `with_` method.
///
/// ```
/// use smtrust::realname::{MaskField, MaskPolicy, MaskRule};
///
/// let strict = MaskPolicy::STRICT;
/// assert_eq!(strict.mask(MaskField::ResidentId, "11010519491231002X"), "1****************X");
///
/// let operator = MaskPolicy::STRICT.with_resident_id(MaskRule::RESIDENT_ID_REGION_AND_TAIL);
/// assert_eq!(operator.mask(MaskField::ResidentId, "11010519491231002X"), "110105********002X");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaskPolicy {
    name: MaskRule,
    resident_id: MaskRule,
    mobile: MaskRule,
    bank_card: MaskRule,
}

impl MaskPolicy {
    /// Name: first character; ID: first 1 + last 1; mobile: 3 + 4; card: 6 + 4.
    pub const STRICT: Self = Self {
        name: MaskRule::NAME,
        resident_id: MaskRule::RESIDENT_ID_STRICT,
        mobile: MaskRule::MOBILE,
        bank_card: MaskRule::BANK_CARD,
    };

    /// This policy with `rule` for names.
    #[must_use]
    pub const fn with_name(mut self, rule: MaskRule) -> Self {
        self.name = rule;
        self
    }

    /// This policy with `rule` for resident ID numbers.
    #[must_use]
    pub const fn with_resident_id(mut self, rule: MaskRule) -> Self {
        self.resident_id = rule;
        self
    }

    /// This policy with `rule` for mobile numbers.
    #[must_use]
    pub const fn with_mobile(mut self, rule: MaskRule) -> Self {
        self.mobile = rule;
        self
    }

    /// This policy with `rule` for bank card numbers.
    #[must_use]
    pub const fn with_bank_card(mut self, rule: MaskRule) -> Self {
        self.bank_card = rule;
        self
    }

    /// The rule for `field`.
    pub const fn rule(&self, field: MaskField) -> MaskRule {
        match field {
            MaskField::Name => self.name,
            MaskField::ResidentId => self.resident_id,
            MaskField::Mobile => self.mobile,
            MaskField::BankCard => self.bank_card,
        }
    }

    /// `value` masked with the rule for `field`. Pass normalised values (for example
    /// [`Identifier::value`](super::Identifier::value)): a `+86` prefix or separators would
    /// count as characters.
    pub fn mask(&self, field: MaskField, value: &str) -> String {
        self.rule(field).apply(value)
    }
}

impl Default for MaskPolicy {
    fn default() -> Self {
        Self::STRICT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_reveal_less() {
        // DOMAIN.md §2.3 rules applied to values shorter than they were made for.
        assert_eq!(MaskRule::NAME.apply("张三"), "张*");
        assert_eq!(
            MaskRule::RESIDENT_ID_STRICT.apply("110105491231002"),
            "1*************2"
        );
        assert_eq!(
            MaskRule::RESIDENT_ID_STRICT.apply("1101054912310"),
            "*************"
        );
        assert_eq!(
            MaskRule::RESIDENT_ID_STRICT.apply("12345678901234"),
            "1*************"
        );
        assert_eq!(MaskRule::MOBILE.apply("12345678"), "123****8");
        assert_eq!(MaskRule::BANK_CARD.apply("4111111111111"), "411111******1");
        assert_eq!(MaskRule::MOBILE.apply(""), "");
    }

    #[test]
    fn zero_min_hidden_is_one() {
        let rule = MaskRule::new(3, 3, 0);
        assert_eq!(rule.min_hidden(), 1);
        assert_eq!(rule.apply("abcde"), "abc*e");
    }
}
