//! Checkpoint timestamps: RFC 3161 tokens over a ledger checkpoint's signed note (RFC 9162
//! §2.1 tree heads as C2SP signed notes), requested and accepted as bytes, stored per
//! checkpoint, carried in evidence bundles (version 3) and verified with TSA trust anchors;
//! every refusal as its exact error, and a version 2 bundle made by earlier code still
//! verifying.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::asn1::OctetString;
use der::{Decode as _, Encode as _};
use smtrust::pki::{Certificate, CertificateBuilder, DigestAlgorithm, UnixTime};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::trace::{
    Actor, CheckpointTimestamp, Error, EvidenceBundle, History, Ledger, LogSigner, LogVerifier,
    MemoryStore, Role, Store as _,
};
use smtrust::tsp::{
    self, FailureInfo, LocalTsa, TimeStampRequest, TimeStampResponse, TimeStampToken,
};

use common::ledger::{Bundle, LOG, decision};

const POLICY: &str = "1.2.3.4.1";
/// The instant every token is stamped at.
const AT: u64 = 1_900_000_000;
const TSA_SUBJECT: &str = "C=CN, O=smtrust, CN=Ledger TSA";

fn t(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(AT - 60)
}

fn key(byte: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[byte; 32]).unwrap(), DistId::DEFAULT)
}

/// A time root, and a TSA key and certificate under it.
struct Pki {
    root_key: SigningKey,
    root: Certificate,
    tsa_key: SigningKey,
    tsa_cert: Certificate,
}

fn pki() -> Pki {
    let root_key = key(1);
    let root = CertificateBuilder::ca("C=CN, O=smtrust, CN=Time Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let tsa_key = key(2);
    let tsa_cert = LocalTsa::certificate_builder(TSA_SUBJECT, 2)
        .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    Pki {
        root_key,
        root,
        tsa_key,
        tsa_cert,
    }
}

fn tsa(pki: &Pki) -> LocalTsa<'_> {
    LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), POLICY).unwrap()
}

/// A ledger with checkpoints at 0, 2 and 3 leaves.
fn ledger() -> Ledger<MemoryStore> {
    let signer = LogSigner::new(LOG, SecretKey::from_bytes(&[7; 32]).unwrap()).unwrap();
    let ledger = Ledger::open(MemoryStore::new(), signer).unwrap();
    ledger
        .append_batch(&[decision("SH-A"), decision("SH-B")])
        .unwrap();
    ledger.append_batch(&[decision("SH-A")]).unwrap();
    ledger
}

/// A regulator's retrieval of SH-A (checkpoint of 4 leaves), its checkpoint stamped.
fn stamped_history(ledger: &Ledger<MemoryStore>, tsa: &LocalTsa<'_>) -> History {
    let regulator = Actor::new(Role::Regulator, "samr-inspector-3");
    let history = ledger
        .retrieve(&regulator, "SH-A", "inspection", at())
        .unwrap();
    let token = ledger
        .stamp_checkpoint(history.checkpoint().size(), tsa, t(AT))
        .unwrap();
    history.with_checkpoint_token(&token).unwrap()
}

fn anchors(root: &Certificate) -> tsp::VerifyOptions {
    tsp::VerifyOptions::new(vec![root.clone()])
}

fn timestamp_error(size: u64, source: tsp::Error) -> Error {
    Error::CheckpointTimestampInvalid {
        size,
        source: Box::new(source),
    }
}

// ---- positive ----

/// RFC 3161 §2.4.2 over the checkpoint's signed note: the bundle carries the token (version
/// 3), and with the TSA's root the checkpoint — and so each entry proved under it (RFC 9162
/// §2.1.3) — existed at genTime.
#[test]
fn stamped_bundle_reports_the_trusted_time() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let history = stamped_history(&ledger, &tsa);
    assert_eq!(history.checkpoint().size(), 4);
    let bundle = history.to_bundle(&[]).unwrap();
    let parsed = Bundle::from_der(bundle.to_der()).unwrap();
    assert_eq!(parsed.version, 3);
    assert_eq!(
        parsed.checkpoint_token.as_ref().unwrap().as_bytes(),
        history.checkpoint_token().unwrap().der()
    );
    assert_eq!(parsed.to_der().unwrap(), bundle.to_der());

    let verified =
        EvidenceBundle::verify_with_tsa(bundle.to_der(), ledger.verifier(), &anchors(&pki.root))
            .unwrap();
    assert_eq!(verified.entries().len(), 3);
    let CheckpointTimestamp::Verified(stamp) = verified.checkpoint_timestamp() else {
        panic!("{:?}", verified.checkpoint_timestamp());
    };
    assert_eq!(stamp.gen_time(), t(AT));
    assert_eq!(stamp.tsa_certificate().subject(), TSA_SUBJECT);
    assert_eq!(stamp.info().imprint_algorithm(), DigestAlgorithm::Sm3);
    assert_eq!(
        stamp.info().hashed_message(),
        smtrust::sm3::hash(history.checkpoint().note()).as_slice()
    );
    assert_eq!(verified.checkpoint_timestamp().trusted_time(), Some(t(AT)));

    let json: serde_json::Value = serde_json::from_str(&verified.to_json()).unwrap();
    assert_eq!(
        json["checkpoint_timestamp"],
        serde_json::json!({
            "status": "verified",
            "gen_time": "2030-03-17T17:46:40Z",
            "tsa": TSA_SUBJECT,
            "trust_anchor": "C=CN, O=smtrust, CN=Time Root",
            "serial": "01",
            "policy": POLICY,
            "imprint_algorithm": "SM3",
        })
    );
    // The PEM form carries it too.
    let pem = EvidenceBundle::verify_pem(&bundle.to_pem().unwrap(), ledger.verifier()).unwrap();
    assert_eq!(pem.checkpoint_timestamp().claimed_time(), Some(t(AT)));
}

/// Without TSA trust anchors the token is checked against the checkpoint but reported
/// unverified, never as a trusted time.
#[test]
fn without_tsa_anchors_the_token_is_present_but_unverified() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let bundle = stamped_history(&ledger, &tsa).to_bundle(&[]).unwrap();
    let verified = EvidenceBundle::verify(bundle.to_der(), ledger.verifier()).unwrap();
    assert!(matches!(
        verified.checkpoint_timestamp(),
        CheckpointTimestamp::Unverified(_)
    ));
    assert_eq!(verified.checkpoint_timestamp().trusted_time(), None);
    assert_eq!(verified.checkpoint_timestamp().claimed_time(), Some(t(AT)));
    let json: serde_json::Value = serde_json::from_str(&verified.to_json()).unwrap();
    assert_eq!(json["checkpoint_timestamp"]["status"], "unverified");
    assert_eq!(json["checkpoint_timestamp"]["tsa"], serde_json::Value::Null);
}

/// RFC 3161 §2.4.1/§2.4.2 as bytes in, bytes out: the ledger's request (SM3 or SHA-256
/// imprint over the note, the nonce, certReq) answered by a TSA as a TimeStampResp or a bare
/// token; the stored token comes back with the checkpoint's history.
#[test]
fn request_and_reply_bytes_store_the_token() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let note = ledger.checkpoint_at(3).unwrap().note().to_vec();
    let nonce = [0x5a, 0x17, 0x00, 0x42, 0x99, 0x01, 0xfe, 0x33];

    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sm3, &nonce)
        .unwrap();
    assert_eq!(request.size(), 3);
    let parsed = TimeStampRequest::from_der(request.der()).unwrap();
    assert_eq!(parsed.digest(), smtrust::sm3::hash(&note).as_slice());
    assert_eq!(parsed.nonce(), Some(&nonce[..]));
    assert!(parsed.cert_req());
    let response = tsa.respond(request.der(), Duration::from_secs(AT)).unwrap();
    let token = ledger.accept_timestamp(&request, response.der()).unwrap();
    assert_eq!(token.info().nonce(), Some(&nonce[..]));
    assert_eq!(
        ledger.store().checkpoint_token(3).unwrap().unwrap(),
        token.der()
    );
    assert_eq!(ledger.checkpoint_token(3).unwrap(), Some(token.clone()));
    assert_eq!(ledger.checkpoint_token(2).unwrap(), None);
    // The history at the stamped (latest) checkpoint carries it into the bundle.
    let history = ledger.history("SH-A").unwrap();
    assert_eq!(history.checkpoint_token(), Some(&token));
    let verified = EvidenceBundle::verify_with_tsa(
        history.to_bundle(&[]).unwrap().to_der(),
        ledger.verifier(),
        &anchors(&pki.root),
    )
    .unwrap();
    assert_eq!(verified.checkpoint_timestamp().trusted_time(), Some(t(AT)));

    // SHA-256 imprint, the bare token as the reply; it replaces the earlier token.
    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sha256, &[0x01])
        .unwrap();
    let bare = tsa
        .stamp_request(request.request(), Duration::from_secs(AT + 5))
        .unwrap();
    let token = ledger.accept_timestamp(&request, bare.der()).unwrap();
    assert_eq!(token.info().imprint_algorithm(), DigestAlgorithm::Sha256);
    assert_eq!(
        token.info().hashed_message(),
        DigestAlgorithm::Sha256.digest(&note)
    );
    assert_eq!(ledger.checkpoint_token(3).unwrap(), Some(token));
}

/// An earlier checkpoint can be stamped too; each token is kept with its own checkpoint.
#[test]
fn each_checkpoint_keeps_its_own_token() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let first = ledger.stamp_checkpoint(2, &tsa, t(AT)).unwrap();
    let second = ledger.stamp_checkpoint(3, &tsa, t(AT + 1)).unwrap();
    assert_eq!(ledger.checkpoint_token(2).unwrap(), Some(first));
    assert_eq!(ledger.checkpoint_token(3).unwrap(), Some(second));
    assert_eq!(ledger.checkpoint_token(0).unwrap(), None);
}

/// A version 2 bundle written before checkpoint timestamps existed (test-vectors/ledger)
/// still verifies, with no timestamp.
#[test]
fn version_2_bundle_of_earlier_code_still_verifies() {
    let der = std::fs::read(common::vector_path("ledger/bundle-v2-sh-a.der")).unwrap();
    assert_eq!(Bundle::from_der(&der).unwrap().version, 2);
    let log = LogVerifier::new(
        "smtrust.example/fuzz",
        SecretKey::from_bytes(&[7; 32]).unwrap().public_key(),
    )
    .unwrap();
    let verified = EvidenceBundle::verify_with_tsa(&der, &log, &anchors(&pki().root)).unwrap();
    assert_eq!(verified.serial(), "SH-A");
    assert_eq!(verified.entries().len(), 3);
    assert_eq!(verified.checkpoint().size(), 4);
    assert!(matches!(
        verified.checkpoint_timestamp(),
        CheckpointTimestamp::Absent
    ));
    let json: serde_json::Value = serde_json::from_str(&verified.to_json()).unwrap();
    assert_eq!(json["checkpoint_timestamp"], serde_json::Value::Null);
    // A token-less bundle is still written as version 2.
    let history = ledger().history("SH-A").unwrap();
    let fresh = history.to_bundle(&[]).unwrap();
    assert_eq!(Bundle::from_der(fresh.to_der()).unwrap().version, 2);
}

// ---- refused when accepted by the ledger ----

/// RFC 3161 §2.4.2 messageImprint: a token over another checkpoint's note is refused, and
/// nothing is stored.
#[test]
fn token_for_another_checkpoint_is_refused() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sm3, &[0x42])
        .unwrap();
    let other = ledger
        .timestamp_request(2, DigestAlgorithm::Sm3, &[0x42])
        .unwrap();
    let reply = tsa.respond(other.der(), Duration::from_secs(AT)).unwrap();
    let stamped = smtrust::sm3::hash(ledger.checkpoint_at(2).unwrap().note());
    let computed = smtrust::sm3::hash(ledger.checkpoint_at(3).unwrap().note());
    assert_eq!(
        ledger.accept_timestamp(&request, reply.der()).unwrap_err(),
        timestamp_error(
            3,
            tsp::Error::ImprintMismatch {
                algorithm: DigestAlgorithm::Sm3,
                stamped: hex::encode(stamped),
                computed: hex::encode(computed),
            }
        )
    );
    assert_eq!(ledger.store().checkpoint_token(3).unwrap(), None);
    // A history refuses it as well.
    let token = TimeStampResponse::from_der(reply.der())
        .unwrap()
        .into_token()
        .unwrap();
    let history = ledger.history("SH-A").unwrap();
    assert!(matches!(
        history.with_checkpoint_token(&token).unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 3, source }
            if matches!(*source, tsp::Error::ImprintMismatch { .. })
    ));
}

/// RFC 3161 §2.4.2: the token must repeat the request's nonce.
#[test]
fn nonce_mismatch_is_refused() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sm3, &[0x01, 0x02])
        .unwrap();
    let replayed = ledger
        .timestamp_request(3, DigestAlgorithm::Sm3, &[0x03, 0x04])
        .unwrap();
    let reply = tsa
        .respond(replayed.der(), Duration::from_secs(AT))
        .unwrap();
    assert_eq!(
        ledger.accept_timestamp(&request, reply.der()).unwrap_err(),
        timestamp_error(
            3,
            tsp::Error::NonceMismatch {
                expected: Some("0102".into()),
                found: Some("0304".into()),
            }
        )
    );
    assert_eq!(ledger.store().checkpoint_token(3).unwrap(), None);
}

/// RFC 3161 §2.4.2 messageImprint algorithm: the TSA must stamp with the requested one.
#[test]
fn another_imprint_algorithm_is_refused() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sha256, &[0x01])
        .unwrap();
    let note = ledger.checkpoint_at(3).unwrap().note().to_vec();
    let sm3 = TimeStampRequest::builder(DigestAlgorithm::Sm3, &note)
        .nonce(&[0x01])
        .build()
        .unwrap();
    let token = tsa.stamp_request(&sm3, Duration::from_secs(AT)).unwrap();
    assert_eq!(
        ledger.accept_timestamp(&request, token.der()).unwrap_err(),
        timestamp_error(
            3,
            tsp::Error::ImprintMismatch {
                algorithm: DigestAlgorithm::Sm3,
                stamped: hex::encode(smtrust::sm3::hash(&note)),
                computed: hex::encode(DigestAlgorithm::Sha256.digest(&note)),
            }
        )
    );
}

/// RFC 3161 §2.4.2 PKIStatusInfo: a rejection carries no token and is refused with its
/// status and failure bits.
#[test]
fn rejection_is_refused() {
    let ledger = ledger();
    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sm3, &[0x01])
        .unwrap();
    let refusal =
        TimeStampResponse::rejection(FailureInfo::TIME_NOT_AVAILABLE, "no clock").unwrap();
    assert_eq!(
        ledger
            .accept_timestamp(&request, refusal.der())
            .unwrap_err(),
        timestamp_error(
            3,
            tsp::Error::NotGranted {
                status: tsp::Status::Rejection,
                text: Some("no clock".into()),
                failure: Some(FailureInfo::TIME_NOT_AVAILABLE),
            }
        )
    );
}

/// RFC 3161 §2.4.2 (the TSA's signature over TSTInfo): a token with one changed byte of its
/// signature is refused, and so is a reply that is not DER.
#[test]
fn tampered_token_is_refused() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let request = ledger
        .timestamp_request(3, DigestAlgorithm::Sm3, &[0x01])
        .unwrap();
    let token = tsa
        .stamp_request(request.request(), Duration::from_secs(AT))
        .unwrap();
    let mut tampered = token.der().to_vec();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x01;
    assert!(matches!(
        ledger.accept_timestamp(&request, &tampered).unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 3, source }
            if matches!(*source, tsp::Error::Cms(_))
    ));
    assert!(matches!(
        ledger.accept_timestamp(&request, b"not DER").unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 3, source }
            if matches!(*source, tsp::Error::Malformed { .. })
    ));
    assert_eq!(ledger.store().checkpoint_token(3).unwrap(), None);
}

/// A checkpoint that is not stored cannot be stamped, nor given a token by the store.
#[test]
fn unknown_checkpoint_cannot_be_stamped() {
    let pki = pki();
    let ledger = ledger();
    assert_eq!(
        ledger
            .timestamp_request(7, DigestAlgorithm::Sm3, &[1])
            .unwrap_err(),
        Error::CheckpointNotStored { size: 7 }
    );
    assert_eq!(
        ledger.stamp_checkpoint(1, &tsa(&pki), t(AT)).unwrap_err(),
        Error::CheckpointNotStored { size: 1 }
    );
    assert_eq!(
        ledger
            .store()
            .set_checkpoint_token(1, b"token")
            .unwrap_err(),
        Error::CheckpointNotStored { size: 1 }
    );
}

/// A token altered in the store after it was accepted is caught when a history reads it and
/// when the whole log is verified (RFC 3161 §2.4.2 signature and messageImprint).
#[test]
fn altered_stored_token_is_caught() {
    let pki = pki();
    let ledger = ledger();
    let token = ledger.stamp_checkpoint(3, &tsa(&pki), t(AT)).unwrap();
    let mut altered = token.der().to_vec();
    let last = altered.len() - 1;
    altered[last] ^= 0x01;
    ledger.store().set_checkpoint_token(3, &altered).unwrap();
    assert!(matches!(
        ledger.history("SH-A").unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 3, source }
            if matches!(*source, tsp::Error::Cms(_))
    ));
    assert!(matches!(
        ledger.verify().unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 3, source }
            if matches!(*source, tsp::Error::Cms(_))
    ));
    // Another checkpoint's token filed under this one is caught by its imprint.
    let other = ledger.stamp_checkpoint(2, &tsa(&pki), t(AT)).unwrap();
    ledger.store().set_checkpoint_token(3, other.der()).unwrap();
    assert!(matches!(
        ledger.verify().unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 3, source }
            if matches!(*source, tsp::Error::ImprintMismatch { .. })
    ));
}

// ---- refused when a bundle is verified ----

/// RFC 3161 §4.3 and §2.4.1: a token by a TSA outside the given anchors is refused.
#[test]
fn untrusted_tsa_fails_the_bundle() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let bundle = stamped_history(&ledger, &tsa).to_bundle(&[]).unwrap();
    let other_root = CertificateBuilder::ca("C=CN, O=elsewhere, CN=Other Root", 9)
        .self_signed(&key(9))
        .unwrap();
    assert_eq!(
        EvidenceBundle::verify_with_tsa(bundle.to_der(), ledger.verifier(), &anchors(&other_root))
            .unwrap_err(),
        timestamp_error(
            4,
            tsp::Error::UntrustedTsa {
                subject: TSA_SUBJECT.into(),
                issuer: "C=CN, O=smtrust, CN=Time Root".into(),
            }
        )
    );
}

/// RFC 3161 §4.3: the TSA certificate must be valid at genTime; here it expired a second
/// before the checkpoint was stamped.
#[test]
fn expired_tsa_certificate_at_gen_time_fails_the_bundle() {
    let pki = pki();
    let expired = LocalTsa::certificate_builder(TSA_SUBJECT, 3)
        .validity(t(AT - 1000), t(AT - 1))
        .issue(
            pki.tsa_key.verifying_key().public_key(),
            &pki.root,
            &pki.root_key,
        )
        .unwrap();
    let tsa = LocalTsa::new(&pki.tsa_key, expired, POLICY).unwrap();
    let ledger = ledger();
    let bundle = stamped_history(&ledger, &tsa).to_bundle(&[]).unwrap();
    assert_eq!(
        EvidenceBundle::verify_with_tsa(bundle.to_der(), ledger.verifier(), &anchors(&pki.root))
            .unwrap_err(),
        timestamp_error(
            4,
            tsp::Error::TsaCertificateExpired {
                subject: TSA_SUBJECT.into(),
                not_after: t(AT - 1),
                gen_time: t(AT),
            }
        )
    );
}

/// RFC 3161 §2.4.2 messageImprint over RFC 9162 checkpoints: a token of another checkpoint
/// placed in a bundle fails, with or without anchors; a tampered token fails its signature.
#[test]
fn bundle_with_a_foreign_or_tampered_token_fails() {
    let pki = pki();
    let tsa = tsa(&pki);
    let ledger = ledger();
    let older = ledger.stamp_checkpoint(3, &tsa, t(AT)).unwrap();
    let bundle = stamped_history(&ledger, &tsa).to_bundle(&[]).unwrap();
    let parsed = Bundle::from_der(bundle.to_der()).unwrap();

    let mut swapped = parsed.clone();
    swapped.checkpoint_token = Some(OctetString::new(older.der()).unwrap());
    let swapped = swapped.to_der().unwrap();
    for options in [anchors(&pki.root), tsp::VerifyOptions::new(Vec::new())] {
        assert!(matches!(
            EvidenceBundle::verify_with_tsa(&swapped, ledger.verifier(), &options).unwrap_err(),
            Error::CheckpointTimestampInvalid { size: 4, source }
                if matches!(*source, tsp::Error::ImprintMismatch { algorithm: DigestAlgorithm::Sm3, .. })
        ));
    }

    let mut tampered = parsed.clone();
    let mut token = parsed
        .checkpoint_token
        .as_ref()
        .unwrap()
        .as_bytes()
        .to_vec();
    let last = token.len() - 1;
    token[last] ^= 0x01;
    tampered.checkpoint_token = Some(OctetString::new(token).unwrap());
    assert!(matches!(
        EvidenceBundle::verify(&tampered.to_der().unwrap(), ledger.verifier()).unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 4, source }
            if matches!(*source, tsp::Error::Cms(_))
    ));

    let mut garbage = parsed;
    garbage.checkpoint_token = Some(OctetString::new(&b"\x30\x03\x02\x01\x01"[..]).unwrap());
    assert!(matches!(
        EvidenceBundle::verify(&garbage.to_der().unwrap(), ledger.verifier()).unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 4, .. }
    ));
}

/// The version says whether a token is carried (as CMS SignedData's version says what it
/// holds, RFC 5652 §5.1): a version 2 bundle with a token, a version 3 bundle without one
/// and other versions are malformed.
#[test]
fn bundle_version_matches_its_token() {
    let pki = pki();
    let ledger = ledger();
    let bundle = stamped_history(&ledger, &tsa(&pki)).to_bundle(&[]).unwrap();
    let parsed = Bundle::from_der(bundle.to_der()).unwrap();
    let verify = |b: &Bundle| EvidenceBundle::verify(&b.to_der().unwrap(), ledger.verifier());

    let mut v2_with_token = parsed.clone();
    v2_with_token.version = 2;
    assert_eq!(
        verify(&v2_with_token).unwrap_err(),
        Error::BundleMalformed {
            reason: "a version 2 bundle carries no checkpoint timestamp; with one it is version 3"
                .into()
        }
    );
    let mut v3_without = parsed.clone();
    v3_without.checkpoint_token = None;
    assert_eq!(
        verify(&v3_without).unwrap_err(),
        Error::BundleMalformed {
            reason:
                "a version 3 bundle carries a checkpoint timestamp; without one it is version 2"
                    .into()
        }
    );
    let mut v4 = parsed;
    v4.version = 4;
    assert_eq!(
        verify(&v4).unwrap_err(),
        Error::BundleMalformed {
            reason:
                "bundle version 4 is not a supported version (2, or 3 with a checkpoint timestamp)"
                    .into()
        }
    );
}

/// Every single-byte change of a stamped bundle is refused (tlog's mutate-and-expect-failure
/// for proofs, RFC 9162 §2.1.3, and the token, RFC 3161 §2.4.2), in steps of 7 bytes.
#[test]
fn byte_changes_of_a_stamped_bundle_are_refused() {
    let pki = pki();
    let ledger = ledger();
    let bundle = stamped_history(&ledger, &tsa(&pki)).to_bundle(&[]).unwrap();
    let options = anchors(&pki.root);
    let der = bundle.to_der();
    for position in (0..der.len()).step_by(7) {
        let mut changed = der.to_vec();
        changed[position] ^= 0x01;
        let outcome = EvidenceBundle::verify_with_tsa(&changed, ledger.verifier(), &options);
        if let Ok(verified) = outcome {
            panic!(
                "byte {position} changed and still verified: {:?}",
                verified.checkpoint_timestamp().trusted_time()
            );
        }
    }
}

/// The parsed token of a checkpoint is the one the TSA made (a sanity check of the types).
#[test]
fn stored_token_parses_as_the_tsa_made_it() {
    let pki = pki();
    let ledger = ledger();
    let token = ledger.stamp_checkpoint(3, &tsa(&pki), t(AT)).unwrap();
    let again =
        TimeStampToken::from_der(&ledger.store().checkpoint_token(3).unwrap().unwrap()).unwrap();
    assert_eq!(again, token);
    assert_eq!(again.certificates(), [pki.tsa_cert]);
}
