//! The result of a check: valid, suspicious or invalid, with what was learnt.

use super::{
    BankCard, ForeignPermanentResidentId, IdKind, InvalidReason, MaskField, MaskPolicy,
    MobileNumber, RegistrationNumber, ResidentId, SocialCreditCode, SuspiciousReason,
};

/// What [`check`](super::check) concluded about an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Outcome {
    /// The identifier passed every rule of its kind.
    Valid(Identifier),
    /// The identifier may well be real but breaks a rule that real data is known to break
    /// (DOMAIN.md §1: a registration system must not hard-reject a real entity). The caller
    /// decides, with the reason, whether to accept it.
    Suspicious(Identifier, SuspiciousReason),
    /// The identifier breaks a rule; the reason names it.
    Invalid(InvalidReason),
}

impl Outcome {
    /// The identifier, if the outcome is valid or suspicious.
    pub fn identifier(&self) -> Option<&Identifier> {
        match self {
            Self::Valid(identifier) | Self::Suspicious(identifier, _) => Some(identifier),
            Self::Invalid(_) => None,
        }
    }

    /// Whether the outcome is [`Outcome::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid(_))
    }
}

/// An identifier that passed the structural rules of its kind, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Identifier {
    /// A citizen resident identity number.
    ResidentId(ResidentId),
    /// A foreign permanent-resident ID card number.
    ForeignPermanentResidentId(ForeignPermanentResidentId),
    /// A unified social credit code.
    SocialCreditCode(SocialCreditCode),
    /// A legacy business registration number.
    RegistrationNumber(RegistrationNumber),
    /// A mainland mobile number.
    Mobile(MobileNumber),
    /// A bank card number.
    BankCard(BankCard),
}

impl Identifier {
    /// The kind of identifier.
    pub fn kind(&self) -> IdKind {
        match self {
            Self::ResidentId(_) => IdKind::ResidentId,
            Self::ForeignPermanentResidentId(_) => IdKind::ForeignPermanentResidentId,
            Self::SocialCreditCode(_) => IdKind::SocialCreditCode,
            Self::RegistrationNumber(_) => IdKind::RegistrationNumber,
            Self::Mobile(_) => IdKind::Mobile,
            Self::BankCard(_) => IdKind::BankCard,
        }
    }

    /// The normalised value: what records should store.
    pub fn value(&self) -> &str {
        match self {
            Self::ResidentId(id) => id.value(),
            Self::ForeignPermanentResidentId(id) => id.value(),
            Self::SocialCreditCode(code) => code.value(),
            Self::RegistrationNumber(number) => number.value(),
            Self::Mobile(number) => number.value(),
            Self::BankCard(card) => card.value(),
        }
    }

    /// The value masked for display under `policy`. Resident and foreign permanent-resident
    /// numbers use the resident-ID rule. Credit codes and registration numbers identify
    /// organisations, are public, and are returned unmasked.
    pub fn masked(&self, policy: &MaskPolicy) -> String {
        let field = match self {
            Self::ResidentId(_) | Self::ForeignPermanentResidentId(_) => MaskField::ResidentId,
            Self::Mobile(_) => MaskField::Mobile,
            Self::BankCard(_) => MaskField::BankCard,
            Self::SocialCreditCode(_) | Self::RegistrationNumber(_) => {
                return self.value().to_owned();
            }
        };
        policy.mask(field, self.value())
    }
}
