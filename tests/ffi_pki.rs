//! The certificate, CMS and record functions of the C ABI called from Rust: exact status codes
//! and last-error sentences for misuse (NULL, short buffers, freed handles, unknown values,
//! wrong formats), and agreement with the Rust API the functions wrap. The same functions are
//! exercised from C by `tests/ffi_c.rs` (`cert_verify.c`, `record_roundtrip.c`).
#![cfg(feature = "ffi")]

mod common;

use std::ffi::c_char;
use std::ptr;
use std::time::Duration;

use smtrust::ffi::*;
use smtrust::pki::{
    self, Certificate, CmsOids, CmsSigner, Encapsulation, RequiredUsage, SignedData, UnixTime,
    VerifyOptions, verify_path,
};
use smtrust::realname;
use smtrust::sm2::{DistId, SecretKey, SigningKey};

/// 2030-06-01T00:00:00Z, the verification time of the interop PKI.
const AT_2030: u64 = 1_906_502_400;
const ID: &[u8] = b"1234567812345678";

/// Held by every test of this file: a freed handle's address can be handed to a new handle
/// made by a test running at the same time, which no registry can tell from the old one
/// (`handle.rs`), so the freed-handle checks would be flaky if handles were made in parallel.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn pki_bytes(relative: &str) -> Vec<u8> {
    std::fs::read(common::vector_path(&format!("interop/pki/{relative}"))).unwrap()
}

fn last_error() -> String {
    let mut buf = vec![0 as c_char; 4096];
    let mut written = 0;
    // SAFETY: `buf` holds 4096 bytes.
    let status = unsafe { smtrust_last_error(buf.as_mut_ptr(), buf.len(), &mut written) };
    assert_eq!(status, Status::Ok);
    let bytes: Vec<u8> = buf[..written - 1].iter().map(|&c| c as u8).collect();
    String::from_utf8(bytes).unwrap()
}

fn cert_verify(
    leaf: &[u8],
    intermediates: &[u8],
    anchors: &[u8],
    usage: u32,
    flags: u32,
) -> Status {
    // SAFETY: every buffer is a live slice with its length.
    unsafe {
        smtrust_cert_verify(
            leaf.as_ptr(),
            leaf.len(),
            intermediates.as_ptr(),
            intermediates.len(),
            anchors.as_ptr(),
            anchors.len(),
            ptr::null(),
            0,
            AT_2030,
            usage,
            flags,
            ID.as_ptr(),
            ID.len(),
        )
    }
}

fn import_key(pem: &[u8]) -> *mut Sm2SecretKey {
    let mut key = ptr::null_mut();
    // SAFETY: a live slice and a valid out-parameter.
    let status = unsafe {
        smtrust_sm2_secret_key_import(
            pem.as_ptr(),
            pem.len(),
            Sm2PrivateKeyFormat::Pkcs8Pem as u32,
            &mut key,
        )
    };
    assert_eq!(status, Status::Ok);
    key
}

fn free_key(key: *mut Sm2SecretKey) {
    // SAFETY: a live handle, freed once.
    assert_eq!(unsafe { smtrust_sm2_secret_key_free(key) }, Status::Ok);
}

/// Two-call `smtrust_cms_sign` of `content` with the leaf-good key and certificate.
fn cms_sign(key: *const Sm2SecretKey, certificate: &[u8], content: &[u8]) -> (Status, Vec<u8>) {
    let call = |out: *mut u8, out_len: usize, written: &mut usize| {
        // SAFETY: live slices; `out` is NULL or holds `out_len` bytes.
        unsafe {
            smtrust_cms_sign(
                key,
                ID.as_ptr(),
                ID.len(),
                certificate.as_ptr(),
                certificate.len(),
                content.as_ptr(),
                content.len(),
                CmsEncapsulation::Detached as u32,
                CmsOidSet::GmT0010 as u32,
                AT_2030,
                out,
                out_len,
                written,
            )
        }
    };
    let mut needed = 0;
    let status = call(ptr::null_mut(), 0, &mut needed);
    if status != Status::Ok {
        return (status, Vec::new());
    }
    let mut der = vec![0u8; needed];
    let mut written = 0;
    assert_eq!(call(der.as_mut_ptr(), der.len(), &mut written), Status::Ok);
    assert_eq!(written, needed);
    (Status::Ok, der)
}

#[test]
fn the_expired_leaf_gives_its_status_and_the_pki_sentence() {
    let _serial = one_at_a_time();
    let leaf = pki_bytes("std/leaf-expired.pem");
    let int = pki_bytes("std/int.pem");
    let root = pki_bytes("std/root.pem");
    let status = cert_verify(&leaf, &int, &root, CertUsage::Signing as u32, 0);
    assert_eq!(status, Status::CertExpired);
    let expected = verify_path(
        &Certificate::from_pem(std::str::from_utf8(&leaf).unwrap()).unwrap(),
        &[Certificate::from_pem(std::str::from_utf8(&int).unwrap()).unwrap()],
        &[Certificate::from_pem(std::str::from_utf8(&root).unwrap()).unwrap()],
        &VerifyOptions::new(UnixTime::since_unix_epoch(Duration::from_secs(AT_2030)))
            .require(RequiredUsage::SIGNING),
    )
    .unwrap_err();
    assert!(matches!(expected, pki::Error::Expired { depth: 0, .. }));
    assert_eq!(last_error(), expected.to_string());
}

#[test]
fn pem_and_der_bundles_verify_alike_and_success_clears_the_last_error() {
    let _serial = one_at_a_time();
    let pem = [pki_bytes("std/int.pem"), pki_bytes("std/root.pem")];
    let der = [pki_bytes("std/int.der"), pki_bytes("std/root.der")];
    let leaf_der = pki_bytes("std/leaf-good.der");
    // The root may sit in the intermediates bundle too; it is found either way.
    assert_eq!(
        cert_verify(&leaf_der, &pem.concat(), &pem[1], 1, 0),
        Status::Ok
    );
    assert_eq!(last_error(), "");
    assert_eq!(cert_verify(&leaf_der, &der[0], &der[1], 1, 0), Status::Ok);
}

#[test]
fn null_leaf_unknown_usage_and_unknown_flags_are_refused_with_their_sentence() {
    let _serial = one_at_a_time();
    let root = pki_bytes("std/root.pem");
    // SAFETY: NULL with a non-zero length is refused before anything is read.
    let status = unsafe {
        smtrust_cert_verify(
            ptr::null(),
            10,
            ptr::null(),
            0,
            root.as_ptr(),
            root.len(),
            ptr::null(),
            0,
            AT_2030,
            1,
            0,
            ptr::null(),
            0,
        )
    };
    assert_eq!(status, Status::NullPointer);
    assert_eq!(
        last_error(),
        "the parameter `leaf` is NULL, which this function does not accept"
    );
    let leaf = pki_bytes("std/leaf-good.pem");
    let int = pki_bytes("std/int.pem");
    for usage in [0, 8, u32::MAX] {
        assert_eq!(
            cert_verify(&leaf, &int, &root, usage, 0),
            Status::InvalidParameter
        );
        assert_eq!(
            last_error(),
            format!("the parameter `usage` is {usage}, which is not a value of smtrust_cert_usage")
        );
    }
    assert_eq!(
        cert_verify(&leaf, &int, &root, 1, 8 | 1),
        Status::InvalidParameter
    );
    assert_eq!(
        last_error(),
        "the parameter `flags` has the bits 0x8 set, which name no flag"
    );
}

#[test]
fn wrong_formats_are_malformed_certificates() {
    let _serial = one_at_a_time();
    let root = pki_bytes("std/root.pem");
    let crl = pki_bytes("std/int.crl.pem");
    let key = pki_bytes("keys/leaf-good.key.pem");
    // A CRL, a private key, nothing, and text that is not PEM, where a certificate belongs.
    for leaf in [&crl[..], &key[..], b"", b"leaf-good.pem"] {
        assert_eq!(cert_verify(leaf, b"", &root, 1, 0), Status::CertMalformed);
        assert!(last_error().starts_with("the "), "{}", last_error());
    }
    assert_eq!(
        cert_verify(b"leaf-good.pem", b"", &root, 1, 0),
        Status::CertMalformed
    );
    assert_eq!(
        last_error(),
        "the input is malformed: it is neither DER nor PEM: it has no -----BEGIN line"
    );
}

#[test]
fn cms_sign_through_the_abi_is_byte_for_byte_the_rust_signer() {
    let _serial = one_at_a_time();
    let key_pem = pki_bytes("keys/leaf-good.key.pem");
    let cert = pki_bytes("std/leaf-good.der");
    let key = import_key(&key_pem);
    let (status, der) = cms_sign(key, &cert, b"form");
    assert_eq!(status, Status::Ok);
    free_key(key);

    let signer = SigningKey::new(
        SecretKey::from_pem(std::str::from_utf8(&key_pem).unwrap()).unwrap(),
        DistId::DEFAULT,
    );
    let certificate = Certificate::from_der(&cert).unwrap();
    let rust = CmsSigner::new(&signer, &certificate, CmsOids::GmT0010)
        .encapsulation(Encapsulation::Detached)
        .sign(
            b"form",
            UnixTime::since_unix_epoch(Duration::from_secs(AT_2030)),
        )
        .unwrap();
    // RFC 6979: the same key, content and time give the same SignedData.
    assert_eq!(der, rust.der());
    assert_eq!(SignedData::from_der(&der).unwrap().signer_count(), 1);
}

#[test]
fn cms_sign_misuse_freed_handle_short_buffer_unknown_values() {
    let _serial = one_at_a_time();
    let cert = pki_bytes("std/leaf-good.der");
    let key = import_key(&pki_bytes("keys/leaf-good.key.pem"));
    let mut small = [0x5au8; 16];
    let mut written = 0;
    let sign = |key: *const Sm2SecretKey,
                encapsulation: u32,
                oids: u32,
                out: &mut [u8],
                written: &mut usize| {
        // SAFETY: live slices; the handle may be stale, which the registry refuses.
        unsafe {
            smtrust_cms_sign(
                key,
                ID.as_ptr(),
                ID.len(),
                cert.as_ptr(),
                cert.len(),
                b"form".as_ptr(),
                4,
                encapsulation,
                oids,
                AT_2030,
                out.as_mut_ptr(),
                out.len(),
                written,
            )
        }
    };
    assert_eq!(
        sign(key, 1, 1, &mut small, &mut written),
        Status::BufferTooSmall
    );
    assert!(written > 16);
    assert_eq!(small, [0x5a; 16]);
    assert_eq!(
        last_error(),
        format!("the output buffer `out` holds 16 bytes, but {written} are needed")
    );
    assert_eq!(
        sign(key, 3, 1, &mut small, &mut written),
        Status::InvalidParameter
    );
    assert_eq!(
        last_error(),
        "the parameter `encapsulation` is 3, which is not a value of smtrust_cms_encapsulation"
    );
    assert_eq!(
        sign(key, 1, 0, &mut small, &mut written),
        Status::InvalidParameter
    );
    assert_eq!(
        last_error(),
        "the parameter `oids` is 0, which is not a value of smtrust_cms_oids"
    );
    free_key(key);
    assert_eq!(
        sign(key, 1, 1, &mut small, &mut written),
        Status::InvalidHandle
    );
    assert_eq!(
        last_error(),
        "the parameter `key` is not a live smtrust_sm2_secret_key handle (freed already, never \
         made by smtrust, or a handle of another type)"
    );
}

fn cms_verify(cms: &[u8], encapsulation: u32, content: &[u8], anchors: &[u8]) -> (Status, String) {
    let mut report = vec![0 as c_char; 4096];
    let mut written = 0;
    // SAFETY: live slices; `report` holds 4096 bytes.
    let status = unsafe {
        smtrust_cms_verify(
            cms.as_ptr(),
            cms.len(),
            encapsulation,
            content.as_ptr(),
            content.len(),
            ID.as_ptr(),
            ID.len(),
            anchors.as_ptr(),
            anchors.len(),
            ptr::null(),
            0,
            AT_2030,
            CertUsage::Signing as u32,
            0,
            report.as_mut_ptr(),
            report.len(),
            &mut written,
        )
    };
    let text = if status == Status::Ok {
        let bytes: Vec<u8> = report[..written - 1].iter().map(|&c| c as u8).collect();
        String::from_utf8(bytes).unwrap()
    } else {
        last_error()
    };
    (status, text)
}

#[test]
fn cms_verify_reads_pem_and_reports_the_signer_and_path() {
    let _serial = one_at_a_time();
    let key = import_key(&pki_bytes("keys/leaf-good.key.pem"));
    let (_, der) = cms_sign(key, &pki_bytes("std/leaf-good.der"), b"form");
    free_key(key);
    let pem = der::pem::encode_string("CMS", der::pem::LineEnding::LF, &der).unwrap();
    let anchors = [pki_bytes("std/root.pem"), pki_bytes("std/int.pem")].concat();
    let (status, report) = cms_verify(pem.as_bytes(), 2, b"form", &anchors);
    assert_eq!(status, Status::Ok, "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["content_length"], 4);
    assert_eq!(report["path_validated"], true);
    let signer = &report["signers"][0];
    assert_eq!(signer["signing_time"], "2030-06-01T00:00:00Z");
    assert_eq!(signer["warnings"], serde_json::json!([]));
    assert_eq!(signer["path"].as_array().unwrap().len(), 2);
    let leaf = Certificate::from_der(&pki_bytes("std/leaf-good.der")).unwrap();
    assert_eq!(signer["subject"], leaf.subject());
    assert_eq!(signer["serial"], leaf.serial_hex());

    let (status, message) = cms_verify(&pki_bytes("std/root.pem"), 2, b"form", b"");
    assert_eq!(status, Status::CmsMalformed);
    assert_eq!(
        message,
        "the CMS PEM ContentInfo is malformed: the PEM label is CERTIFICATE, not CMS or PKCS7"
    );
}

#[test]
fn cms_verify_of_something_else_is_malformed_and_attached_content_twice_is_a_parameter_error() {
    let _serial = one_at_a_time();
    let (status, _) = cms_verify(&pki_bytes("std/root.der"), 1, b"", b"");
    assert_eq!(status, Status::CmsMalformed);
    let key = import_key(&pki_bytes("keys/leaf-good.key.pem"));
    let (_, der) = cms_sign(key, &pki_bytes("std/leaf-good.der"), b"form");
    free_key(key);
    let (status, message) = cms_verify(&der, 1, b"form", b"");
    assert_eq!(status, Status::InvalidParameter);
    assert_eq!(
        message,
        "the parameter `content` is 4 bytes long, but it must be empty with \
         SMTRUST_CMS_ENCAPSULATION_ATTACHED"
    );
    let (status, message) = cms_verify(&der, 1, b"", b"");
    assert_eq!(status, Status::CmsContentMismatch);
    assert_eq!(message, pki::CmsError::ContentMissing.to_string());
}

const RECORD: &str = r#"{"biz_serial_no": "SH-2026-000123", "record_id": "R-1", "attempt_no": 2,
    "subject_kind": "natural_person", "role": "legal_representative",
    "factors": ["name", "id_number", "mobile"], "institution": "Example Institution",
    "result": "mismatch", "raw_code": "2", "raw_message": "13812345678 不一致",
    "requested_at": 1764115200, "responded_at": 1764115201}"#;

fn record_sign(
    key: *const Sm2SecretKey,
    certificate: &[u8],
    json: &str,
) -> (Status, usize, Vec<u8>) {
    let call = |out: *mut u8, out_len: usize, written: &mut usize| {
        // SAFETY: live slices; `out` is NULL or holds `out_len` bytes.
        unsafe {
            smtrust_record_sign(
                key,
                certificate.as_ptr(),
                certificate.len(),
                json.as_ptr(),
                json.len(),
                out,
                out_len,
                written,
            )
        }
    };
    let mut bound = 0;
    let status = call(ptr::null_mut(), 0, &mut bound);
    if status != Status::Ok {
        return (status, 0, Vec::new());
    }
    let mut der = vec![0u8; bound];
    let mut written = 0;
    assert_eq!(call(der.as_mut_ptr(), der.len(), &mut written), Status::Ok);
    der.truncate(written);
    (Status::Ok, bound, der)
}

fn record_verify(
    signed: &[u8],
    pinned: *const Sm2PublicKey,
    view: &mut [c_char],
    written: &mut usize,
) -> Status {
    // SAFETY: live slices; `view` holds its length.
    unsafe {
        smtrust_record_verify(
            signed.as_ptr(),
            signed.len(),
            pinned,
            ptr::null(),
            0,
            ptr::null(),
            0,
            ptr::null(),
            0,
            AT_2030,
            CertUsage::Any as u32,
            0,
            view.as_mut_ptr(),
            view.len(),
            written,
        )
    }
}

#[test]
fn a_record_signed_through_the_abi_verifies_with_the_rust_api_and_the_view_is_the_same() {
    let _serial = one_at_a_time();
    let key = import_key(&pki_bytes("keys/leaf-good.key.pem"));
    let (status, bound, der) = record_sign(key, &pki_bytes("std/leaf-good.pem"), RECORD);
    free_key(key);
    assert_eq!(status, Status::Ok);
    // The bound is the first call's length plus the longest DER signature (72 bytes); the
    // second call's signature may be a few bytes shorter than the first's.
    assert!(
        der.len() <= bound && bound - der.len() <= 72 + 8,
        "{bound} {}",
        der.len()
    );

    let verified = realname::SignedRecord::from_der(&der)
        .unwrap()
        .verify(&realname::VerifyOptions::new())
        .unwrap();
    assert_eq!(verified.record().attempt_no(), 2);
    let mut view = vec![0 as c_char; 4096];
    let mut written = 0;
    assert_eq!(
        record_verify(&der, ptr::null(), &mut view, &mut written),
        Status::Ok
    );
    let bytes: Vec<u8> = view[..written - 1].iter().map(|&c| c as u8).collect();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text, verified.record().to_json().unwrap());
    // DOMAIN.md §2.3: the mobile number in the provider's message is masked in the view.
    assert!(!text.contains("13812345678"), "{text}");
}

#[test]
fn record_verify_misuse_null_written_freed_pin_and_a_certificate_instead_of_a_record() {
    let _serial = one_at_a_time();
    let key = import_key(&pki_bytes("keys/leaf-good.key.pem"));
    let (_, _, der) = record_sign(key, &pki_bytes("std/leaf-good.der"), RECORD);
    let mut public_key = ptr::null_mut();
    // SAFETY: a live handle and a valid out-parameter.
    unsafe {
        assert_eq!(
            smtrust_sm2_secret_key_public_key(key, &mut public_key),
            Status::Ok
        );
        assert_eq!(smtrust_sm2_public_key_free(public_key), Status::Ok);
    }
    free_key(key);
    let mut view = vec![0 as c_char; 4096];
    let mut written = 0;
    assert_eq!(
        record_verify(&der, public_key, &mut view, &mut written),
        Status::InvalidHandle
    );
    assert_eq!(
        last_error(),
        "the parameter `pinned_key` is not a live smtrust_sm2_public_key handle (freed already, \
         never made by smtrust, or a handle of another type)"
    );
    assert_eq!(
        record_verify(
            &pki_bytes("std/leaf-good.der"),
            ptr::null(),
            &mut view,
            &mut written
        ),
        Status::RecordMalformed
    );
    assert!(
        last_error().starts_with("the SignedVerificationRecord is not valid DER"),
        "{}",
        last_error()
    );
    // SAFETY: `written` NULL is refused before anything is written.
    let status = unsafe {
        smtrust_record_verify(
            der.as_ptr(),
            der.len(),
            ptr::null(),
            ptr::null(),
            0,
            ptr::null(),
            0,
            ptr::null(),
            0,
            AT_2030,
            1,
            0,
            view.as_mut_ptr(),
            view.len(),
            ptr::null_mut(),
        )
    };
    assert_eq!(status, Status::NullPointer);
    assert_eq!(
        last_error(),
        "the parameter `written` is NULL, which this function does not accept"
    );
}

#[test]
fn record_sign_refuses_bad_json_a_non_certificate_and_a_record_over_its_limits() {
    let _serial = one_at_a_time();
    let key = import_key(&pki_bytes("keys/leaf-good.key.pem"));
    let cert = pki_bytes("std/leaf-good.der");
    let (status, _, _) = record_sign(key, &cert, "{");
    assert_eq!(status, Status::RecordInvalid);
    assert_eq!(
        last_error(),
        "the record to sign is not valid: EOF while parsing an object at line 1 column 1"
    );
    let (status, _, _) = record_sign(key, &pki_bytes("std/int.crl.pem"), RECORD);
    assert_eq!(status, Status::RecordCertificateUnusable);
    assert!(last_error().starts_with("the institution certificate cannot be used: "));
    let long_serial = RECORD.replace("SH-2026-000123", &"S".repeat(65));
    let (status, _, _) = record_sign(key, &cert, &long_serial);
    assert_eq!(status, Status::RecordInvalid);
    assert_eq!(
        last_error(),
        "the record to sign is not valid: the field bizSerialNo is 65 bytes long; it must be 1 \
         to 64 bytes"
    );
    free_key(key);
}

/// RFC 5280 §6.3 with `-crl_check_all` semantics: the intermediate's CRL covers the leaf, but
/// no CRL of the root covers the intermediate, so its status is unknown when CRLs are required;
/// without the flag the soft-fail default accepts it.
#[test]
fn crl_required_for_the_whole_chain_gives_revocation_unknown() {
    let _serial = one_at_a_time();
    let leaf = pki_bytes("std/leaf-good.pem");
    let int = pki_bytes("std/int.pem");
    let root = pki_bytes("std/root.pem");
    let crl = pki_bytes("std/int.crl.pem");
    let verify = |flags: u32| {
        // SAFETY: every buffer is a live slice with its length.
        unsafe {
            smtrust_cert_verify(
                leaf.as_ptr(),
                leaf.len(),
                int.as_ptr(),
                int.len(),
                root.as_ptr(),
                root.len(),
                crl.as_ptr(),
                crl.len(),
                AT_2030,
                CertUsage::Signing as u32,
                flags,
                ID.as_ptr(),
                ID.len(),
            )
        }
    };
    assert_eq!(verify(0), Status::Ok);
    assert_eq!(verify(SMTRUST_CERT_VERIFY_CRL_CHECK_ALL), Status::Ok);
    assert_eq!(
        verify(SMTRUST_CERT_VERIFY_CRL_CHECK_ALL | SMTRUST_CERT_VERIFY_CRL_REQUIRED),
        Status::CertRevocationUnknown
    );
    assert_eq!(
        last_error(),
        "the revocation status of the certificate at depth 1 is unknown: no CRL of its issuer \
         was given"
    );
    assert_eq!(verify(SMTRUST_CERT_VERIFY_CRL_REQUIRED), Status::Ok);
}
