//! The full personal data of a subject, which exists in the clear only in memory: records
//! keep it sealed in an [`Envelope`](super::Envelope), with masked copies for display and
//! blind indexes for lookup.

use core::fmt;

use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

use super::{Error, Identifier, MaskField, MaskPolicy, MobileNumber};

/// The personal-data fields a record can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, der::Enumerated, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum PersonalField {
    /// The name.
    Name = 0,
    /// The resident (or foreign permanent-resident) ID number.
    IdNumber = 1,
    /// The mobile number.
    Mobile = 2,
    /// The bank card number.
    BankCard = 3,
    /// The phone number the bank holds for the card.
    BankReservedPhone = 4,
}

impl PersonalField {
    /// Every field, in DER order.
    pub const ALL: [PersonalField; 5] = [
        Self::Name,
        Self::IdNumber,
        Self::Mobile,
        Self::BankCard,
        Self::BankReservedPhone,
    ];

    /// The masking rule that applies to the field.
    fn mask_field(self) -> MaskField {
        match self {
            Self::Name => MaskField::Name,
            Self::IdNumber => MaskField::ResidentId,
            Self::Mobile | Self::BankReservedPhone => MaskField::Mobile,
            Self::BankCard => MaskField::BankCard,
        }
    }
}

impl fmt::Display for PersonalField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "name",
            Self::IdNumber => "ID number",
            Self::Mobile => "mobile number",
            Self::BankCard => "bank card number",
            Self::BankReservedPhone => "bank-reserved phone number",
        })
    }
}

/// A subject's personal data in the clear: wiped on drop, masked in `Debug`, never
/// serialised except into an envelope.
///
/// Identifiers come from [`check`](super::check), so what is stored is the normalised form.
///
/// ```
/// use smtrust::realname::{check, CheckOptions, Date, IdKind, PersonalData, PersonalField};
///
/// let options = CheckOptions::new(Date::new(2026, 11, 26)?);
/// let id = check("11010519491231002X", IdKind::ResidentId, &options);
/// let mobile = check("13812345678", IdKind::Mobile, &options);
/// let mut data = PersonalData::new().with_name("张三丰");
/// for identifier in [id.identifier(), mobile.identifier()].into_iter().flatten() {
///     data = data.with_identifier(identifier)?;
/// }
/// assert_eq!(data.field(PersonalField::IdNumber), Some("11010519491231002X"));
/// assert_eq!(format!("{data:?}"), r#"PersonalData { name: "张**", id_number: "1****************X", mobile: "138****5678", .. }"#);
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Default, der::Sequence)]
pub struct PersonalData {
    #[asn1(context_specific = "0", optional = "true")]
    name: Option<String>,
    #[asn1(context_specific = "1", optional = "true")]
    id_number: Option<String>,
    #[asn1(context_specific = "2", optional = "true")]
    mobile: Option<String>,
    #[asn1(context_specific = "3", optional = "true")]
    bank_card: Option<String>,
    #[asn1(context_specific = "4", optional = "true")]
    bank_reserved_phone: Option<String>,
}

impl PersonalData {
    /// No data yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// This data with the person's name (surrounding white space removed).
    #[must_use]
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = Some(name.trim().to_owned());
        self
    }

    /// This data with a checked identifier in its field: resident and foreign
    /// permanent-resident numbers as the ID number, mobile and card numbers in theirs.
    /// Credit codes and registration numbers identify organisations and are refused.
    pub fn with_identifier(mut self, identifier: &Identifier) -> Result<Self, Error> {
        let slot = match identifier {
            Identifier::ResidentId(_) | Identifier::ForeignPermanentResidentId(_) => {
                &mut self.id_number
            }
            Identifier::Mobile(_) => &mut self.mobile,
            Identifier::BankCard(_) => &mut self.bank_card,
            other => {
                return Err(Error::NotPersonalData { kind: other.kind() });
            }
        };
        *slot = Some(identifier.value().to_owned());
        Ok(self)
    }

    /// This data with the phone number the bank holds for the card.
    #[must_use]
    pub fn with_bank_reserved_phone(mut self, phone: &MobileNumber) -> Self {
        self.bank_reserved_phone = Some(phone.value().to_owned());
        self
    }

    /// The value of `field`, if set.
    pub fn field(&self, field: PersonalField) -> Option<&str> {
        self.slot(field).as_deref()
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        PersonalField::ALL.iter().all(|f| self.slot(*f).is_none())
    }

    /// The fields masked under `policy`.
    pub fn masked(&self, policy: &MaskPolicy) -> MaskedIdentity {
        let mask = |field: PersonalField| {
            self.field(field)
                .map(|value| policy.mask(field.mask_field(), value))
        };
        MaskedIdentity {
            name: mask(PersonalField::Name),
            id_number: mask(PersonalField::IdNumber),
            mobile: mask(PersonalField::Mobile),
            bank_card: mask(PersonalField::BankCard),
            bank_reserved_phone: mask(PersonalField::BankReservedPhone),
        }
    }

    /// The DER encoding, wiped when dropped.
    pub(super) fn to_der_zeroizing(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        der::Encode::to_der(self)
            .map(Zeroizing::new)
            .map_err(|error| Error::Der {
                structure: "PersonalData",
                error,
            })
    }

    /// Reads the DER encoding.
    pub(super) fn from_der_bytes(bytes: &[u8]) -> Result<Self, Error> {
        <Self as der::Decode>::from_der(bytes).map_err(|error| Error::Der {
            structure: "PersonalData",
            error,
        })
    }

    fn slot(&self, field: PersonalField) -> &Option<String> {
        match field {
            PersonalField::Name => &self.name,
            PersonalField::IdNumber => &self.id_number,
            PersonalField::Mobile => &self.mobile,
            PersonalField::BankCard => &self.bank_card,
            PersonalField::BankReservedPhone => &self.bank_reserved_phone,
        }
    }
}

impl fmt::Debug for PersonalData {
    /// Shows each set field masked with [`MaskPolicy::STRICT`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked = self.masked(&MaskPolicy::STRICT);
        let mut out = f.debug_struct("PersonalData");
        for field in PersonalField::ALL {
            if let Some(value) = masked.field(field) {
                out.field(debug_name(field), &value);
            }
        }
        out.finish_non_exhaustive()
    }
}

fn debug_name(field: PersonalField) -> &'static str {
    match field {
        PersonalField::Name => "name",
        PersonalField::IdNumber => "id_number",
        PersonalField::Mobile => "mobile",
        PersonalField::BankCard => "bank_card",
        PersonalField::BankReservedPhone => "bank_reserved_phone",
    }
}

impl Drop for PersonalData {
    fn drop(&mut self) {
        for slot in [
            &mut self.name,
            &mut self.id_number,
            &mut self.mobile,
            &mut self.bank_card,
            &mut self.bank_reserved_phone,
        ] {
            slot.zeroize();
        }
    }
}

/// Masked copies of the personal data, for display (DOMAIN.md §2.3). Masked values are
/// de-identified, not anonymous: they are still personal information.
#[derive(Debug, Clone, PartialEq, Eq, Default, der::Sequence, Serialize)]
pub struct MaskedIdentity {
    #[asn1(context_specific = "0", optional = "true")]
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[asn1(context_specific = "1", optional = "true")]
    #[serde(skip_serializing_if = "Option::is_none")]
    id_number: Option<String>,
    #[asn1(context_specific = "2", optional = "true")]
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile: Option<String>,
    #[asn1(context_specific = "3", optional = "true")]
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_card: Option<String>,
    #[asn1(context_specific = "4", optional = "true")]
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_reserved_phone: Option<String>,
}

impl MaskedIdentity {
    /// The masked value of `field`, if the data had it.
    pub fn field(&self, field: PersonalField) -> Option<&str> {
        match field {
            PersonalField::Name => self.name.as_deref(),
            PersonalField::IdNumber => self.id_number.as_deref(),
            PersonalField::Mobile => self.mobile.as_deref(),
            PersonalField::BankCard => self.bank_card.as_deref(),
            PersonalField::BankReservedPhone => self.bank_reserved_phone.as_deref(),
        }
    }
}
