//! Who was verified: a natural person or an entity, and the part they play in the
//! registration application (DOMAIN.md §2.2, SAMR's 2024 notice).

use serde::{Deserialize, Serialize};

/// Whether the subject is a person or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum SubjectKind {
    /// A natural person (自然人).
    NaturalPerson = 0,
    /// An entity (非自然人), verified through its legal representative or e-licence.
    Entity = 1,
}

/// The subject's role in the registration application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum Role {
    /// Legal representative (法定代表人).
    LegalRepresentative = 0,
    /// Shareholder or investor (股东).
    Shareholder = 1,
    /// Director (董事).
    Director = 2,
    /// Supervisor (监事).
    Supervisor = 3,
    /// Manager (经理).
    Manager = 4,
    /// Agent filing on the applicant's behalf (委托代理人).
    Agent = 5,
    /// Liaison (联络员).
    Liaison = 6,
    /// Finance officer (财务负责人).
    FinanceOfficer = 7,
    /// Any other role.
    Other = 8,
}
