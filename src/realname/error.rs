//! The module's error type: mistakes in the values a caller configures, never in the
//! identifiers being checked (those give an [`Outcome`](super::Outcome)).

use super::InvalidReason;

/// Errors of the `realname` module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A calendar date was asked for that the Gregorian calendar does not have.
    #[error(
        "{year:04}-{month:02}-{day:02} is not a date of the Gregorian calendar (years 1 to 9999)"
    )]
    InvalidDate {
        /// The year given.
        year: u16,
        /// The month given.
        month: u8,
        /// The day given.
        day: u8,
    },
    /// A code offered for the unified-social-credit-code allow-list does not even have the
    /// shape of one (18 characters of the GB 32100 alphabet, digits in positions 3 to 8), so
    /// allowing it could never have an effect.
    #[error("the allow-list entry is not shaped like a unified social credit code: {reason}")]
    MalformedAllowListEntry {
        /// What is wrong with the entry.
        reason: InvalidReason,
    },
}
