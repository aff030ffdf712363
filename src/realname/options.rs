//! What a caller decides for a check: today's date, legacy conversion, and allowed codes.

use std::collections::BTreeSet;

use super::normalize::normalize;
use super::{Date, Error, credit_code};

/// The caller's settings for [`check`](super::check).
///
/// ```
/// use smtrust::realname::{CheckOptions, Date, LegacyResidentIds};
///
/// let options = CheckOptions::new(Date::new(2026, 11, 26)?)
///     .with_legacy_resident_ids(LegacyResidentIds::ConvertForImport)
///     .allow_credit_code("91350100M0001TGQXM")?;
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    today: Date,
    legacy_resident_ids: LegacyResidentIds,
    credit_code_allow_list: BTreeSet<String>,
}

impl CheckOptions {
    /// Options with `today` as the date that birth dates may not exceed, legacy 15-digit
    /// resident numbers rejected, and an empty allow-list.
    ///
    /// The module never reads the clock: pass the date on which the check is made.
    pub fn new(today: Date) -> Self {
        Self {
            today,
            legacy_resident_ids: LegacyResidentIds::Reject,
            credit_code_allow_list: BTreeSet::new(),
        }
    }

    /// Sets what happens to 15-digit resident numbers.
    #[must_use]
    pub fn with_legacy_resident_ids(mut self, policy: LegacyResidentIds) -> Self {
        self.legacy_resident_ids = policy;
        self
    }

    /// Adds `code` to the credit codes accepted without their check characters and
    /// department rules: for legitimate codes that fail them, once a person has confirmed
    /// the code against the registry. `code` is normalised like checked input; it must
    /// still have the shape of a credit code.
    pub fn allow_credit_code(mut self, code: &str) -> Result<Self, Error> {
        let normalized =
            normalize(code).map_err(|reason| Error::MalformedAllowListEntry { reason })?;
        credit_code::shape(&normalized)
            .map_err(|reason| Error::MalformedAllowListEntry { reason })?;
        let _newly_added = self
            .credit_code_allow_list
            .insert(normalized.as_str().to_owned());
        Ok(self)
    }

    /// The date the caller gave as today.
    pub fn today(&self) -> Date {
        self.today
    }

    /// What happens to 15-digit resident numbers.
    pub fn legacy_resident_ids(&self) -> LegacyResidentIds {
        self.legacy_resident_ids
    }

    pub(super) fn converts_legacy_resident_ids(&self) -> bool {
        self.legacy_resident_ids == LegacyResidentIds::ConvertForImport
    }

    pub(super) fn allows_credit_code(&self, normalized: &str) -> bool {
        self.credit_code_allow_list.contains(normalized)
    }
}

/// What to do with a 15-digit GB 11643-1989 resident number.
///
/// First-generation cards have no check digit and have not been valid since 2013, so such
/// numbers belong only in imports of old records (DOMAIN.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LegacyResidentIds {
    /// Reject them with [`InvalidReason::LegacyResidentIdNotAccepted`](super::InvalidReason::LegacyResidentIdNotAccepted).
    #[default]
    Reject,
    /// Convert them to 18 digits (century `19` inserted, check character appended) and flag
    /// the result ([`ResidentId::converted_from_15`](super::ResidentId::converted_from_15)).
    ConvertForImport,
}
