//! One applicant's online registration: identifier checks, the institution's checks, the
//! policy decision, the CMS-signed application form sealed by the registration authority, and
//! the ledger entries.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand_chacha::ChaCha20Rng;
use rand_core::Rng;
use smtrust::pki::{CmsOids, CmsSigner};
use smtrust::realname::{CheckOptions, IdKind, Policy, UnixTime, Verdict, VerifyOptions, check};
use smtrust::trace::{Actor, Entry, Event, Ledger, Role, Store};

use crate::institution;
use crate::pki_setup::{DemoPki, Party};
use crate::sealing::{Authority, Evidence};

/// The outcome of one application, for the summary table.
pub struct Row {
    pub serial: String,
    pub name: String,
    pub outcome: Outcome,
    pub reason: String,
    /// The sealed, time-stamped form of a verified applicant.
    pub evidence: Option<Evidence>,
}

/// The decision, as counted in the summary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Verified,
    NotVerified,
    Indeterminate,
    Rejected,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::NotVerified => "not verified",
            Self::Indeterminate => "indeterminate",
            Self::Rejected => "rejected",
        }
    }
}

fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    rng.next_u64() % n
}

fn digits(rng: &mut ChaCha20Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + u8::try_from(below(rng, 10)).unwrap_or(0)))
        .collect()
}

/// A resident ID number with a correct GB 11643 check character, or (if `corrupt`) a wrong one.
fn resident_id(rng: &mut ChaCha20Rng, corrupt: bool) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECKS: &[u8; 11] = b"10X98765432";
    let body = format!(
        "310101{}{:02}{:02}{}",
        1960 + below(rng, 45),
        1 + below(rng, 12),
        1 + below(rng, 28),
        digits(rng, 3)
    );
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let index = (sum % 11 + u32::from(corrupt)) % 11;
    let check = CHECKS.get(index as usize).copied().unwrap_or(b'0');
    format!("{body}{}", char::from(check))
}

fn name(rng: &mut ChaCha20Rng) -> String {
    const SURNAMES: [&str; 6] = ["张", "王", "李", "赵", "刘", "陈"];
    const GIVEN: [&str; 6] = ["伟", "芳", "娜", "敏", "静", "强"];
    let surname = SURNAMES
        .get(below(rng, 6) as usize)
        .copied()
        .unwrap_or("张");
    let given = GIVEN.get(below(rng, 6) as usize).copied().unwrap_or("伟");
    format!("{surname}{given}")
}

fn masked(name: &str) -> String {
    let first: String = name.chars().take(1).collect();
    format!("{first}*")
}

/// Everything shared by the applications.
pub struct Context<'a, S: Store> {
    pub pki: &'a DemoPki,
    pub authority: &'a Authority<'a>,
    pub ledger: &'a Ledger<S>,
    pub policy: &'a Policy,
    pub options: &'a CheckOptions,
    pub at: u64,
}

impl<S: Store> Context<'_, S> {
    fn time(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.at)
    }

    /// Takes applicant `number` through registration; every step is appended to the ledger.
    pub fn register(
        &self,
        number: u64,
        serial: String,
        rng: &mut ChaCha20Rng,
    ) -> Result<Row, Box<dyn std::error::Error>> {
        let name = name(rng);
        let corrupt = below(rng, 100) < 8;
        let id = resident_id(rng, corrupt);
        let registrar = Actor::new(Role::Registrar, "online-registration");
        let identifier = check(&id, IdKind::ResidentId, self.options);
        if !identifier.is_valid() {
            let entry = Entry::new(
                &serial,
                self.time(),
                registrar,
                Event::DecisionMade {
                    decision: "rejected".into(),
                    rule: "identifier-check".into(),
                },
            )?;
            self.ledger.append_batch(&[entry])?;
            return Ok(Row {
                serial,
                name: masked(&name),
                outcome: Outcome::Rejected,
                reason: "resident ID number invalid (GB 11643 check)".into(),
                evidence: None,
            });
        }

        let institution = &self.pki.institution;
        let document = institution::document_check(institution, &serial, self.at, rng)?;
        let face = institution::face_check(institution, &serial, self.at, rng)?;
        let actor = Actor::new(Role::Institution, institution::NAME);
        let mut entries = Vec::new();
        let mut records = Vec::new();
        for answer in [&document, &face] {
            records.push(answer.record.verify(&VerifyOptions::new())?.into_record());
            entries.push(Entry::new(
                &serial,
                self.time(),
                actor.clone(),
                Event::VerificationRecorded {
                    record: answer.record.as_der().to_vec(),
                },
            )?);
        }
        let refs: Vec<_> = records.iter().collect();
        let decision = self.policy.decide(&refs, UnixTime::from_secs(self.at))?;
        let (outcome, rule) = match &decision.verdict {
            Verdict::Verified { rule } => (Outcome::Verified, rule.clone()),
            Verdict::NotVerified => (Outcome::NotVerified, decision.policy.clone()),
            _ => (Outcome::Indeterminate, decision.policy.clone()),
        };
        entries.push(Entry::new(
            &serial,
            self.time(),
            registrar.clone(),
            Event::DecisionMade {
                decision: outcome.label().replace(' ', "_"),
                rule: rule.clone(),
            },
        )?);
        let notes: Vec<String> = [document.note, face.note].into_iter().flatten().collect();
        let reason = if outcome == Outcome::Verified {
            format!("rule {rule}; form signed (CMS), sealed, time-stamped")
        } else {
            notes.join("; ")
        };
        let mut evidence = None;
        if outcome == Outcome::Verified {
            let (signed, form) = self.signed_form(number, &serial, &name, &registrar, rng)?;
            entries.push(signed);
            let sealed = self.authority.seal_form(&serial, form, self.at)?;
            entries.push(Entry::new(
                &serial,
                self.time(),
                registrar.clone(),
                Event::SealApplied {
                    digest: sealed.seal_signature.data_hash().to_vec(),
                    signer_certificate: sealed.seal_signature.signer_certificate().to_vec(),
                },
            )?);
            evidence = Some(sealed);
        }
        self.ledger.append_batch(&entries)?;
        Ok(Row {
            serial,
            name: masked(&name),
            outcome,
            reason,
            evidence,
        })
    }

    /// The application form signed with the applicant's own key (CMS SignedData, GM/T 0010
    /// OIDs): the `DocumentSigned` entry and the SignedData DER.
    fn signed_form(
        &self,
        number: u64,
        serial: &str,
        name: &str,
        registrar: &Actor,
        rng: &mut ChaCha20Rng,
    ) -> Result<(Entry, Vec<u8>), Box<dyn std::error::Error>> {
        let applicant: Party = self.pki.root.issue(
            rng,
            &format!("C=CN, O=Applicant, CN={name}, serialNumber={serial}"),
            1000 + number,
        )?;
        let form = format!(
            "{{\"serial\":\"{serial}\",\"form\":\"company establishment\",\"legal_representative\":\"{name}\"}}"
        );
        let time = smtrust::pki::UnixTime::since_unix_epoch(Duration::from_secs(self.at));
        let signed = CmsSigner::new(&applicant.key, &applicant.certificate, CmsOids::GmT0010)
            .sign(form.as_bytes(), time)?;
        let entry = Entry::new(
            serial,
            self.time(),
            registrar.clone(),
            Event::DocumentSigned {
                digest: smtrust::sm3::hash(signed.der()).to_vec(),
                signer_certificate: applicant.certificate.der().to_vec(),
            },
        )?;
        Ok((entry, signed.der().to_vec()))
    }
}
