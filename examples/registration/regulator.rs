//! The regulator: retrieves one serial (the retrieval itself is logged), exports its evidence
//! bundle, verifies it offline with the log's public key only, and shows that a changed byte
//! is detected.

use std::time::{Duration, UNIX_EPOCH};

use smtrust::trace::{Actor, Event, EvidenceBundle, Ledger, LogVerifier, Role, Store};

/// What the regulator found.
pub struct Inspection {
    pub serial: String,
    pub entries: usize,
    pub retrieval_logged: bool,
    pub bundle_len: usize,
    pub bundle_entries: usize,
    pub tamper_error: String,
}

/// Inspects `serial` at time `at`.
pub fn inspect<S: Store>(
    ledger: &Ledger<S>,
    serial: &str,
    at: u64,
    extra_certificates: &[Vec<u8>],
) -> Result<Inspection, Box<dyn std::error::Error>> {
    let regulator = Actor::new(Role::Regulator, "samr-inspector-1");
    let history = ledger.retrieve(
        &regulator,
        serial,
        "routine inspection of online registration",
        UNIX_EPOCH + Duration::from_secs(at),
    )?;
    let retrieval_logged = history
        .entries()
        .iter()
        .any(|proven| matches!(proven.entry().event(), Event::Retrieved { .. }));
    let bundle = history.to_bundle(extra_certificates)?;
    let der = bundle.to_der().to_vec();

    // Offline: only the log's name and public key are needed.
    let offline = LogVerifier::new(ledger.verifier().name(), *ledger.verifier().public_key())?;
    let verified = EvidenceBundle::verify(&der, &offline)?;

    let mut tampered = der.clone();
    let middle = tampered.len() / 2;
    if let Some(byte) = tampered.get_mut(middle) {
        *byte ^= 0x01;
    }
    let tamper_error = match EvidenceBundle::verify(&tampered, &offline) {
        Ok(_) => return Err("a tampered bundle verified".into()),
        Err(err) => err.to_string(),
    };
    Ok(Inspection {
        serial: serial.to_owned(),
        entries: history.entries().len(),
        retrieval_logged,
        bundle_len: der.len(),
        bundle_entries: verified.entries().len(),
        tamper_error,
    })
}
