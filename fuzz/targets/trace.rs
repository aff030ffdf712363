//! Ledger checkpoints (C2SP signed notes) and evidence bundles (DER and PEM): parse and
//! verify with the fixed log key.

use std::sync::OnceLock;

use smtrust::sm2::SecretKey;
use smtrust::trace::{Checkpoint, EvidenceBundle, LogVerifier};

use super::fixed;

/// The verifier of the fixed log (`fixed::LOG_NAME`, key `fixed::LOG_SECRET_KEY`).
pub fn log_verifier() -> &'static LogVerifier {
    static LOG: OnceLock<LogVerifier> = OnceLock::new();
    LOG.get_or_init(|| {
        let secret = SecretKey::from_bytes(&fixed::LOG_SECRET_KEY).unwrap();
        LogVerifier::new(fixed::LOG_NAME, secret.public_key()).unwrap()
    })
}

/// `LogVerifier::verify` on a signed note, `Checkpoint::from_text` on its text; a verified
/// checkpoint's text parses back to the same checkpoint.
pub fn trace_checkpoint(data: &[u8]) {
    if let Ok(verified) = log_verifier().verify(data) {
        let text = verified.checkpoint().to_text();
        assert_eq!(
            &Checkpoint::from_text(&text).unwrap(),
            verified.checkpoint()
        );
        assert!(data.starts_with(text.as_bytes()));
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(checkpoint) = Checkpoint::from_text(text)
    {
        assert_eq!(checkpoint.to_text(), text);
    }
}

/// `EvidenceBundle::verify` (DER, with its checkpoint timestamp checked against the
/// checkpoint) and `verify_pem`.
pub fn trace_bundle(data: &[u8]) {
    if let Ok(verified) = EvidenceBundle::verify(data, log_verifier()) {
        let _ = (
            verified.serial(),
            verified.entries().len(),
            verified.checkpoint().size(),
            verified.checkpoint_timestamp().claimed_time(),
            verified.to_json(),
        );
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = EvidenceBundle::verify_pem(text, log_verifier());
    }
}
