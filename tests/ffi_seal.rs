//! `smtrust_seal_verify` from Rust through the C ABI: the JSON report of a real seal signature
//! (test-vectors/seals), the verdict constants, the two-call pattern, trust anchors, and the
//! parameter failures (status codes 800–801, NULL arrays).
#![cfg(feature = "ffi")]

mod common;

use std::ffi::c_char;
use std::ptr;

use common::vector_path;
use serde_json::Value;
use smtrust::ffi::*;
use smtrust::pki::Certificate;

fn read(file: &str) -> Vec<u8> {
    std::fs::read(vector_path(&format!("seals/{file}"))).unwrap()
}

/// Calls `smtrust_seal_verify` with the two-call pattern; returns the status of the second
/// call, the verdict and the JSON text.
fn verify(
    data: &[u8],
    document: Option<&[u8]>,
    anchors: &[Vec<u8>],
    at: u64,
) -> (Status, u32, String) {
    let pointers: Vec<*const u8> = anchors.iter().map(|a| a.as_ptr()).collect();
    let lens: Vec<usize> = anchors.iter().map(Vec::len).collect();
    let (document_ptr, document_len) = document.map_or((ptr::null(), 0), |d| (d.as_ptr(), d.len()));
    let mut needed = 0;
    let mut verdict = 0;
    // SAFETY: valid buffers and arrays; NULL output asks for the length.
    let status = unsafe {
        smtrust_seal_verify(
            data.as_ptr(),
            data.len(),
            document_ptr,
            document_len,
            pointers.as_ptr(),
            lens.as_ptr(),
            anchors.len(),
            at,
            &mut verdict,
            ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    if status != Status::Ok {
        return (status, verdict, String::new());
    }
    let mut buf = vec![0 as c_char; needed];
    let mut written = 0;
    let mut verdict = 0;
    // SAFETY: `buf` holds `needed` bytes.
    let status = unsafe {
        smtrust_seal_verify(
            data.as_ptr(),
            data.len(),
            document_ptr,
            document_len,
            pointers.as_ptr(),
            lens.as_ptr(),
            anchors.len(),
            at,
            &mut verdict,
            buf.as_mut_ptr(),
            buf.len(),
            &mut written,
        )
    };
    assert_eq!(written, needed);
    assert_eq!(buf[written - 1], 0, "NUL-terminated");
    let text: Vec<u8> = buf[..written - 1].iter().map(|&c| c as u8).collect();
    (status, verdict, String::from_utf8(text).unwrap())
}

fn last_error() -> String {
    let mut needed = 0;
    // SAFETY: NULL output with a valid `written`.
    unsafe { smtrust_last_error(ptr::null_mut(), 0, &mut needed) };
    let mut buf = vec![0 as c_char; needed];
    let mut written = 0;
    // SAFETY: `buf` holds `needed` bytes.
    unsafe { smtrust_last_error(buf.as_mut_ptr(), buf.len(), &mut written) };
    let bytes: Vec<u8> = buf[..written - 1].iter().map(|&c| c as u8).collect();
    String::from_utf8(bytes).unwrap()
}

fn ofdrw_root_der() -> Vec<u8> {
    let pem = String::from_utf8(read("derived_ROOT_cert.pem")).unwrap();
    Certificate::from_pem(&pem).unwrap().der().to_vec()
}

#[test]
fn real_gomain_signature_is_indeterminate_without_anchors() {
    let (status, verdict, json) = verify(
        &read("ofdsharp_SignedValue.dat"),
        Some(&read("ofdsharp_Signature.xml")),
        &[],
        0,
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(verdict, SMTRUST_SEAL_VERDICT_INDETERMINATE);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["verdict"], "indeterminate");
    let signature = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "signature")
        .unwrap();
    assert_eq!(signature["status"], "pass");
}

#[test]
fn placeholder_data_hash_is_invalid_against_the_document_d16() {
    let (status, verdict, json) = verify(
        &read("ofdrw_SignedValueV4.dat"),
        Some(&read("ofdrw_gm_Signature.xml")),
        &[],
        0,
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(verdict, SMTRUST_SEAL_VERDICT_INVALID);
    assert!(json.contains(r#""code":"D16""#), "{json}");
}

#[test]
fn seal_alone_with_anchor_and_time() {
    // The ofdrw root lacks keyCertSign (D16) and the C ABI does not opt into legacy roots, so
    // the maker chain fails: the safe default.
    let (status, verdict, json) = verify(
        &read("ofdrw_UserV4.esl"),
        None,
        &[ofdrw_root_der()],
        1_602_501_243,
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(verdict, SMTRUST_SEAL_VERDICT_INVALID, "{json}");
    assert!(json.contains("keyCertSign"), "{json}");
}

#[test]
fn garbage_gives_a_report_with_a_failed_structure() {
    let (status, verdict, json) = verify(b"garbage", None, &[], 0);
    assert_eq!(status, Status::Ok);
    assert_eq!(verdict, SMTRUST_SEAL_VERDICT_INVALID);
    assert!(
        json.starts_with(r#"{"verdict":"invalid","checks":[{"check":"structure","status":"fail""#)
    );
}

#[test]
fn an_anchor_that_is_not_a_certificate_is_refused() {
    let (status, verdict, _) = verify(
        &read("ofdrw_UserV4.esl"),
        None,
        &[ofdrw_root_der(), vec![0x30, 0x00]],
        0,
    );
    assert_eq!(status, Status::SealInvalidTrustAnchor);
    assert_eq!(verdict, 0, "out-parameters are written only on success");
    assert!(
        last_error().starts_with("trust anchor 1 is not a DER certificate: "),
        "{}",
        last_error()
    );
}

#[test]
fn too_many_anchors_are_refused() {
    let root = ofdrw_root_der();
    let anchors = vec![root; 1025];
    let (status, _, _) = verify(&read("ofdrw_UserV4.esl"), None, &anchors, 0);
    assert_eq!(status, Status::SealTooManyTrustAnchors);
    assert_eq!(
        last_error(),
        "1025 trust anchors were given; at most 1024 are looked at"
    );
}

#[test]
fn null_arrays_with_a_count_are_refused() {
    let data = read("ofdrw_UserV4.esl");
    let (mut verdict, mut written) = (0, 0);
    // SAFETY: NULL arrays with a count of 1: the function must refuse them without reading.
    let status = unsafe {
        smtrust_seal_verify(
            data.as_ptr(),
            data.len(),
            ptr::null(),
            0,
            ptr::null(),
            ptr::null(),
            1,
            0,
            &mut verdict,
            ptr::null_mut(),
            0,
            &mut written,
        )
    };
    assert_eq!(status, Status::NullPointer);
    assert_eq!(
        last_error(),
        "the parameter `trust_anchors` is NULL, which this function does not accept"
    );
}

#[test]
fn short_buffer_is_refused_and_left_untouched() {
    let data = read("ofdrw_UserV4.esl");
    let mut buf = [0x55 as c_char; 8];
    let (mut verdict, mut written) = (0, 0);
    // SAFETY: `buf` holds 8 bytes.
    let status = unsafe {
        smtrust_seal_verify(
            data.as_ptr(),
            data.len(),
            ptr::null(),
            0,
            ptr::null(),
            ptr::null(),
            0,
            0,
            &mut verdict,
            buf.as_mut_ptr(),
            buf.len(),
            &mut written,
        )
    };
    assert_eq!(status, Status::BufferTooSmall);
    assert!(written > 8);
    assert_eq!(verdict, 0);
    assert!(buf.iter().all(|&b| b == 0x55 as c_char));
}

#[test]
fn status_names_of_the_seal_block() {
    assert_eq!(Status::SealInvalidTrustAnchor as u32, 800);
    assert_eq!(Status::SealTooManyTrustAnchors as u32, 801);
    assert_eq!(
        Status::SealInvalidTrustAnchor.name(),
        "SMTRUST_STATUS_SEAL_INVALID_TRUST_ANCHOR"
    );
}
