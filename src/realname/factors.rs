//! What a check compared: an explicit set of factors, never a bare count (DOMAIN.md §2.1:
//! "four-factor" means different things for ID checks and for bank-card checks).

use core::fmt;

use serde::{Deserialize, Serialize};

use super::Error;

/// One thing a qualified institution compared against its authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Factor {
    /// The person's name.
    Name,
    /// The resident ID number.
    IdNumber,
    /// The ID card's validity period (start and end).
    IdValidity,
    /// The mobile number, against the carrier's real-name registration.
    Mobile,
    /// The bank card number (PAN).
    BankCard,
    /// The phone number the bank holds for the card.
    BankReservedPhone,
    /// A live face capture with a liveness check, compared with a reference portrait.
    FaceLiveness,
    /// A CTID / national network identity credential (网证, 网号).
    Ctid,
    /// An electronic business licence (电子营业执照) with holder authentication.
    EBusinessLicence,
    /// A digital certificate (a signature made with the subject's certified key).
    Certificate,
}

impl Factor {
    /// Every factor, in bit order.
    pub const ALL: [Factor; 10] = [
        Factor::Name,
        Factor::IdNumber,
        Factor::IdValidity,
        Factor::Mobile,
        Factor::BankCard,
        Factor::BankReservedPhone,
        Factor::FaceLiveness,
        Factor::Ctid,
        Factor::EBusinessLicence,
        Factor::Certificate,
    ];

    /// The factor's bit in the DER encoding of a [`FactorSet`] (bit 0 is `Name`).
    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`Factor`]s: what one check compared.
///
/// The named constants are the checks of DOMAIN.md §2.1.
///
/// ```
/// use smtrust::realname::{Factor, FactorSet};
///
/// assert!(FactorSet::BANK_CARD_4.contains(Factor::BankReservedPhone));
/// assert!(FactorSet::BANK_CARD_4.includes(FactorSet::BANK_CARD_3));
/// assert!(!FactorSet::PHONE_3.includes(FactorSet::BANK_CARD_2));
/// assert_eq!(FactorSet::PHONE_3.to_string(), "phone 3-factor {name, id_number, mobile}");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FactorSet(u16);

impl FactorSet {
    /// No factor.
    pub const EMPTY: Self = Self(0);
    /// ID 2-factor (二要素): name and ID number.
    pub const ID_2: Self = Self::of(&[Factor::Name, Factor::IdNumber]);
    /// ID with validity: name, ID number and the card's validity period.
    pub const ID_VALIDITY: Self = Self::of(&[Factor::Name, Factor::IdNumber, Factor::IdValidity]);
    /// Phone 3-factor (运营商三要素): name, ID number and mobile number.
    pub const PHONE_3: Self = Self::of(&[Factor::Name, Factor::IdNumber, Factor::Mobile]);
    /// Bank-card 2-factor: name and card number.
    pub const BANK_CARD_2: Self = Self::of(&[Factor::Name, Factor::BankCard]);
    /// Bank-card 3-factor: name, ID number and card number.
    pub const BANK_CARD_3: Self = Self::of(&[Factor::Name, Factor::IdNumber, Factor::BankCard]);
    /// Bank-card 4-factor: name, ID number, card number and the bank-reserved phone.
    pub const BANK_CARD_4: Self = Self::of(&[
        Factor::Name,
        Factor::IdNumber,
        Factor::BankCard,
        Factor::BankReservedPhone,
    ]);
    /// Face + liveness (人脸核身) against the portrait held for a name and ID number.
    pub const FACE_LIVENESS: Self =
        Self::of(&[Factor::Name, Factor::IdNumber, Factor::FaceLiveness]);
    /// A CTID / network identity credential.
    pub const CTID: Self = Self::of(&[Factor::Ctid]);
    /// An electronic business licence.
    pub const E_BUSINESS_LICENCE: Self = Self::of(&[Factor::EBusinessLicence]);
    /// A digital certificate.
    pub const CERTIFICATE: Self = Self::of(&[Factor::Certificate]);

    /// The named checks, for [`FactorSet::check_name`] and `Display`.
    const NAMED: [(Self, &'static str); 10] = [
        (Self::ID_2, "ID 2-factor"),
        (Self::ID_VALIDITY, "ID + validity"),
        (Self::PHONE_3, "phone 3-factor"),
        (Self::BANK_CARD_2, "bank-card 2-factor"),
        (Self::BANK_CARD_3, "bank-card 3-factor"),
        (Self::BANK_CARD_4, "bank-card 4-factor"),
        (Self::FACE_LIVENESS, "face + liveness"),
        (Self::CTID, "CTID"),
        (Self::E_BUSINESS_LICENCE, "e-business licence"),
        (Self::CERTIFICATE, "certificate"),
    ];

    /// The set holding exactly `factors`.
    pub const fn of(factors: &[Factor]) -> Self {
        let mut bits = 0;
        let mut index = 0;
        // Invariant: `index < factors.len()`, so the indexing cannot panic (a `const fn`
        // cannot use iterators).
        while index < factors.len() {
            bits |= factors[index].bit();
            index += 1;
        }
        Self(bits)
    }

    /// This set with `factor` added.
    #[must_use]
    pub const fn with(self, factor: Factor) -> Self {
        Self(self.0 | factor.bit())
    }

    /// Whether `factor` is in the set.
    pub const fn contains(self, factor: Factor) -> bool {
        self.0 & factor.bit() != 0
    }

    /// Whether every factor of `other` is in this set.
    pub const fn includes(self, other: FactorSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The factors in the set, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Factor> {
        Factor::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// The name of the check of DOMAIN.md §2.1 that has exactly these factors, if any.
    pub fn check_name(self) -> Option<&'static str> {
        Self::NAMED
            .iter()
            .find(|(set, _)| *set == self)
            .map(|(_, name)| *name)
    }

    /// The bit mask written in DER (bit 0 is [`Factor::Name`], in the order of
    /// [`Factor::ALL`]).
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set with bit mask `bits`; bits that name no factor are an error.
    pub fn from_bits(bits: u32) -> Result<Self, Error> {
        let known = Self::of(&Factor::ALL).0;
        match u16::try_from(bits) {
            Ok(small) if small & !known == 0 => Ok(Self(small)),
            _ => Err(Error::UnknownFactorBits { bits }),
        }
    }
}

impl fmt::Debug for FactorSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for FactorSet {
    /// The check's name (if it has one) and its factors: `phone 3-factor {name, id_number,
    /// mobile}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.check_name() {
            write!(f, "{name} ")?;
        }
        f.write_str("{")?;
        for (index, factor) in self.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(factor_name(factor))?;
        }
        f.write_str("}")
    }
}

/// The snake-case name used in `Display` and in JSON.
fn factor_name(factor: Factor) -> &'static str {
    match factor {
        Factor::Name => "name",
        Factor::IdNumber => "id_number",
        Factor::IdValidity => "id_validity",
        Factor::Mobile => "mobile",
        Factor::BankCard => "bank_card",
        Factor::BankReservedPhone => "bank_reserved_phone",
        Factor::FaceLiveness => "face_liveness",
        Factor::Ctid => "ctid",
        Factor::EBusinessLicence => "e_business_licence",
        Factor::Certificate => "certificate",
    }
}

impl FromIterator<Factor> for FactorSet {
    fn from_iter<I: IntoIterator<Item = Factor>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

impl Serialize for FactorSet {
    /// A list of factor names, in bit order.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for FactorSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Factor>::deserialize(deserializer).map(|factors| factors.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_and_unknown_bits_fail() {
        for set in FactorSet::NAMED.map(|(set, _)| set) {
            assert_eq!(FactorSet::from_bits(set.bits().into()), Ok(set));
        }
        assert_eq!(
            FactorSet::from_bits(1 << 10),
            Err(Error::UnknownFactorBits { bits: 1 << 10 })
        );
        assert_eq!(
            FactorSet::from_bits(1 << 16),
            Err(Error::UnknownFactorBits { bits: 1 << 16 })
        );
    }

    #[test]
    fn unnamed_set_displays_its_factors() {
        let set = FactorSet::of(&[Factor::Mobile, Factor::Ctid]);
        assert_eq!(set.to_string(), "{mobile, ctid}");
        assert_eq!(set.check_name(), None);
    }
}
