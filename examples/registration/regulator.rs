//! The regulator: retrieves one serial (the retrieval itself is logged; the TSA then stamps
//! the retrieval's checkpoint, the ledger's final one), exports its evidence bundle, verifies
//! it offline with the log's public key and the demo root (the checkpoint's RFC 3161 token
//! included), and shows that a changed byte is detected; then verifies the authority's seal
//! signature on the serial's form with its embedded timestamp, and the form's timestamp,
//! against the demo root alone.

use std::time::{Duration, UNIX_EPOCH};

use smtrust::pki::{Certificate, UnixTime};
use smtrust::seal::{self, CheckName, Status, Verdict};
use smtrust::trace::{Actor, Event, EvidenceBundle, Ledger, LogVerifier, ProvenEntry, Role, Store};
use smtrust::tsp::{self, LocalTsa, TimeStampToken};

use crate::sealing::Evidence;

/// What the regulator found.
pub struct Inspection {
    pub serial: String,
    pub entries: usize,
    pub retrieval_logged: bool,
    pub bundle_len: usize,
    pub bundle_entries: usize,
    pub tamper_error: String,
    /// The stamped checkpoint's size, its trusted time and TSA, from the verified bundle.
    pub checkpoint_stamp: (u64, UnixTime, String),
    pub seal: Option<SealFinding>,
}

/// What the regulator found about the seal on the serial's form.
pub struct SealFinding {
    /// The seal signature's verdict, its certificates checked at the timestamp's time.
    pub verdict: Verdict,
    /// The genTime of the timestamp embedded in the seal signature.
    pub seal_time: UnixTime,
    /// The signed form's timestamp genTime.
    pub form_time: UnixTime,
    /// The TSA that stamped both.
    pub tsa: String,
    /// The verdict on the form with one byte changed, and the checks that failed.
    pub tampered_form: String,
    /// Why the seal timestamp does not cover a changed signature value.
    pub tampered_stamp_error: String,
}

/// `bytes` with the bit 0 of the middle byte flipped.
fn one_byte_changed(bytes: &[u8]) -> Vec<u8> {
    let mut changed = bytes.to_vec();
    let middle = changed.len() / 2;
    if let Some(byte) = changed.get_mut(middle) {
        *byte ^= 0x01;
    }
    changed
}

/// Inspects `serial` at time `at`, `tsa` stamping the retrieval's checkpoint; `evidence` is
/// the serial's sealed form, if it has one, and `anchors` the roots its seal and timestamps
/// must chain to.
pub fn inspect<S: Store>(
    ledger: &Ledger<S>,
    tsa: &LocalTsa<'_>,
    serial: &str,
    at: u64,
    extra_certificates: &[Vec<u8>],
    evidence: Option<&Evidence>,
    anchors: &[Certificate],
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
    let stamped_at = UnixTime::since_unix_epoch(Duration::from_secs(at));
    let token = ledger.stamp_checkpoint(history.checkpoint().size(), tsa, stamped_at)?;
    let history = history.with_checkpoint_token(&token)?;
    let bundle = history.to_bundle(extra_certificates)?;
    let der = bundle.to_der().to_vec();

    // Offline: only the log's name and public key, and the root for its TSA, are needed.
    let offline = LogVerifier::new(ledger.verifier().name(), *ledger.verifier().public_key())?;
    let tsa_options = tsp::VerifyOptions::new(anchors.to_vec());
    let verified = EvidenceBundle::verify_with_tsa(&der, &offline, &tsa_options)?;
    let smtrust::trace::CheckpointTimestamp::Verified(stamp) = verified.checkpoint_timestamp()
    else {
        return Err("the bundle's checkpoint timestamp was not verified".into());
    };
    let checkpoint_stamp = (
        verified.checkpoint().size(),
        stamp.gen_time(),
        stamp.tsa_certificate().subject().to_owned(),
    );

    let tampered = one_byte_changed(&der);
    let tamper_error = match EvidenceBundle::verify(&tampered, &offline) {
        Ok(_) => return Err("a tampered bundle verified".into()),
        Err(err) => err.to_string(),
    };
    let seal = evidence
        .map(|evidence| check_seal(history.entries(), evidence, anchors))
        .transpose()?;
    Ok(Inspection {
        serial: serial.to_owned(),
        entries: history.entries().len(),
        retrieval_logged,
        bundle_len: der.len(),
        bundle_entries: verified.entries().len(),
        tamper_error,
        checkpoint_stamp,
        seal,
    })
}

/// Checks that the seal signature is the one the ledger's `SealApplied` entry records, then
/// verifies the seal signature with its embedded timestamp (certificates at the stamped
/// time) and the form's timestamp; and shows that a changed form or signature value is
/// refused.
fn check_seal(
    entries: &[ProvenEntry],
    evidence: &Evidence,
    anchors: &[Certificate],
) -> Result<SealFinding, Box<dyn std::error::Error>> {
    let signature = &evidence.seal_signature;
    let recorded = entries.iter().any(|proven| {
        matches!(
            proven.entry().event(),
            Event::SealApplied { digest, signer_certificate }
                if digest[..] == smtrust::sm3::hash(&evidence.form)[..]
                    && signer_certificate[..] == *signature.signer_certificate()
        )
    });
    if !recorded {
        return Err("no SealApplied entry in the ledger records this seal signature".into());
    }
    let seal_token = signature
        .timestamp()
        .ok_or("the seal signature carries no timestamp")?;
    let tsp_options = tsp::VerifyOptions::new(anchors.to_vec());
    let form_stamp = tsp::verify_token(evidence.form_token.der(), &evidence.form, &tsp_options)?;
    let options = seal::VerifyOptions::new().trust_anchors(anchors.to_vec());
    let report = signature.verify(Some(&evidence.form), &options);
    if report.status(CheckName::Timestamp) != Some(Status::Pass) {
        return Err("the seal signature's embedded timestamp does not verify".into());
    }
    // The report's timestamp line passed: its genTime is the time the chains were checked at.
    let seal_time = TimeStampToken::from_der(seal_token)?.info().gen_time();

    let tampered = signature.verify(Some(&one_byte_changed(&evidence.form)), &options);
    let failed: Vec<&str> = tampered
        .checks()
        .iter()
        .filter(|check| check.status == Status::Fail)
        .map(|check| check.name.as_str())
        .collect();
    let tampered_form = format!("{} ({} failed)", tampered.verdict(), failed.join(", "));
    let tampered_stamp_error = match tsp::verify_token(
        seal_token,
        &one_byte_changed(signature.signature()),
        &tsp_options,
    ) {
        Ok(_) => return Err("the seal timestamp verified over a changed signature value".into()),
        Err(err) => err.to_string(),
    };
    Ok(SealFinding {
        verdict: report.verdict(),
        seal_time,
        form_time: form_stamp.gen_time(),
        tsa: form_stamp.tsa_certificate().subject().to_owned(),
        tampered_form,
        tampered_stamp_error,
    })
}
