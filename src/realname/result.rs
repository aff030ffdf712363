//! The normalised result of a check (DOMAIN.md §2.1): the provider's raw code is kept beside
//! it, and an input or system error is never a verdict on the person.

use serde::Serialize;

/// What a qualified institution's answer means, whatever its own code was.
///
/// Providers split their codes into definitive ones (match, mismatch, no record: the
/// authority answered) and the rest (bad input, service busy). [`CheckResult::is_definitive`]
/// keeps that split, so a [`Policy`](super::Policy) never counts a provider or input error as
/// the person failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum CheckResult {
    /// The factors match the authority's data.
    Match = 0,
    /// The factors do not match (for a bank card: also a card-state refusal).
    Mismatch = 1,
    /// The authority has no record for the identity given.
    NoRecord = 2,
    /// The request was malformed (for example a bad ID format or an unreadable photo).
    InvalidInput = 3,
    /// The provider failed (busy, timeout, internal error).
    ProviderError = 4,
    /// The provider's code is not one the caller could map.
    Unknown = 5,
}

impl CheckResult {
    /// Whether the authority answered about the person (match, mismatch or no record).
    pub const fn is_definitive(self) -> bool {
        matches!(self, Self::Match | Self::Mismatch | Self::NoRecord)
    }
}
