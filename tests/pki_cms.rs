//! CMS SignedData with SM2 (RFC 5652 §5, GM/T 0010): real OFD e-signatures, every signing
//! option round-tripped, OpenSSL 3 interop, and bad input.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use std::time::Duration;

use smtrust::pki::{
    Certificate, CertificateBuilder, CmsError, CmsOids, CmsSigner, CmsVerifyOptions, CmsWarning,
    Encapsulation, Error, MAX_CMS_LEN, RequiredUsage, SignedData, UnixTime, VerifyOptions,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

const GM_DATA: &str = "1.2.156.10197.6.1.4.2.1";
const PKCS7_DATA: &str = "1.2.840.113549.1.7.1";

fn seals() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/seals")
}

/// One entry of an OFD package (a zip).
fn ofd_entry(ofd: &str, entry: &str) -> Vec<u8> {
    let file = std::fs::File::open(seals().join(ofd)).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(entry).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

/// 2026-11-26T00:00:00Z, the fixed signing time of the made signatures.
const NOW: u64 = 1_795_651_200;

struct Pki {
    root_key: SigningKey,
    root: Certificate,
    key: SigningKey,
    leaf: Certificate,
}

/// A root and a signer certificate; every key and signature with SM2 ID `id`.
fn pki(id: DistId) -> Pki {
    let root_key = SigningKey::new(SecretKey::from_bytes(&[0x11; 32]).unwrap(), id.clone());
    let root = CertificateBuilder::ca("C=CN, O=CMS Test, CN=CMS Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let key = SigningKey::new(SecretKey::from_bytes(&[0x22; 32]).unwrap(), id);
    let leaf = CertificateBuilder::end_entity("C=CN, O=CMS Test, CN=Signer", 0x1234)
        .issue(key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    Pki {
        root_key,
        root,
        key,
        leaf,
    }
}

// ---------------------------------------------------------------------------------------------
// Real e-signatures (test-vectors/seals/MANIFEST.md)

/// ofdrw_conv_testImageNotFound.ofd: two gomain Type="Sign" signatures, GB/T 35275 SignedData,
/// detached over Signature.xml, with signed attributes, SM2 ID 1234567812345678, signature
/// algorithm 1.2.156.10197.1.301.1; eContentType is PKCS#7 data while the content-type
/// attribute is GM/T data (a warning).
#[test]
fn real_gomain_detached_signatures_verify() {
    for sign in ["Sign_0", "Sign_1"] {
        let der = ofd_entry(
            "ofdrw_conv_testImageNotFound.ofd",
            &format!("Doc_0/Signs/{sign}/SignedValue.dat"),
        );
        let xml = ofd_entry(
            "ofdrw_conv_testImageNotFound.ofd",
            &format!("Doc_0/Signs/{sign}/Signature.xml"),
        );
        let signed = SignedData::from_der(&der).unwrap();
        assert_eq!(signed.oids(), CmsOids::GmT0010);
        assert_eq!(signed.content(), None);
        assert_eq!(signed.content_type(), PKCS7_DATA);
        assert_eq!(signed.der(), der.as_slice());
        let verified = signed.verify(Some(&xml), &CmsVerifyOptions::new()).unwrap();
        let signer = verified.signer();
        assert_eq!(verified.content(), xml.as_slice());
        // signingTime 221101092233Z
        assert_eq!(signer.signing_time(), Some(at(1_667_294_553)));
        assert_eq!(signer.sm2_id(), &DistId::DEFAULT);
        assert_eq!(
            signer.warnings(),
            &[CmsWarning::DataOidsDiffer {
                content: PKCS7_DATA.into(),
                attribute: GM_DATA.into()
            }]
        );
        assert_eq!(signer.certificate().serial_hex(), "69e2006c0025921f");
    }
}

/// The same signature checked with the empty SM2 ID fails: real systems use the default ID.
#[test]
fn real_gomain_signature_fails_with_the_empty_id() {
    let der = ofd_entry(
        "ofdrw_conv_testImageNotFound.ofd",
        "Doc_0/Signs/Sign_0/SignedValue.dat",
    );
    let xml = ofd_entry(
        "ofdrw_conv_testImageNotFound.ofd",
        "Doc_0/Signs/Sign_0/Signature.xml",
    );
    let signed = SignedData::from_der(&der).unwrap();
    let err = signed
        .verify(Some(&xml), &CmsVerifyOptions::new().sm2_id(DistId::EMPTY))
        .unwrap_err();
    assert!(matches!(err, CmsError::BadSignature { signer: 0, ref id, .. } if id == "(empty)"));
}

/// RFC 5652 §11.2: another document (Sign_1's Signature.xml) does not match Sign_0.
#[test]
fn real_gomain_signature_rejects_other_content() {
    let der = ofd_entry(
        "ofdrw_conv_testImageNotFound.ofd",
        "Doc_0/Signs/Sign_0/SignedValue.dat",
    );
    let other = ofd_entry(
        "ofdrw_conv_testImageNotFound.ofd",
        "Doc_0/Signs/Sign_1/Signature.xml",
    );
    let err = SignedData::from_der(&der)
        .unwrap()
        .verify(Some(&other), &CmsVerifyOptions::new())
        .unwrap_err();
    assert_eq!(
        err,
        CmsError::MessageDigestMismatch {
            signer: 0,
            signed: "4244dc368ecbdfe58f16bba9cd3f35d9597d41928eae2d9b31b8fb8d1d95397d".into(),
            computed: "3d6ba2e3ace232a27f5fb604e7a47f2cfd63ef873f800c919aa4b5c74061c786".into(),
        }
    );
}

/// ofdrw_keyword.ofd Sign_3 (oesplugin): attached content = SM3(Signature.xml), no signed
/// attributes, raw 64-byte r‖s signature, SM2 ID 1234567812345678.
#[test]
fn real_oesplugin_attached_raw_signature_verifies() {
    let der = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat");
    let xml = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/Signature.xml");
    let signed = SignedData::from_der(&der).unwrap();
    assert_eq!(signed.content(), Some(smtrust::sm3::hash(&xml).as_slice()));
    assert_eq!(signed.content_type(), GM_DATA);
    let verified = signed.verify(None, &CmsVerifyOptions::new()).unwrap();
    assert_eq!(
        verified.signer().warnings(),
        &[CmsWarning::NoSignedAttributes, CmsWarning::RawSignature]
    );
    assert_eq!(verified.signer().signing_time(), None);
    assert_eq!(
        verified.signer().certificate().serial_hex(),
        "20031000136757"
    );
}

/// Attached content must not also be given detached; a flipped content byte breaks the
/// signature (no signed attributes protect it otherwise).
#[test]
fn real_oesplugin_content_rules() {
    let der = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat");
    let signed = SignedData::from_der(&der).unwrap();
    assert_eq!(
        signed
            .verify(Some(b"x"), &CmsVerifyOptions::new())
            .unwrap_err(),
        CmsError::ContentGivenTwice
    );
    let mut tampered = der.clone();
    tampered[61] ^= 1; // first byte of eContent
    let err = SignedData::from_der(&tampered)
        .unwrap()
        .verify(None, &CmsVerifyOptions::new())
        .unwrap_err();
    assert!(matches!(err, CmsError::BadSignature { signer: 0, .. }));
}

// ---------------------------------------------------------------------------------------------
// Signing: every option round-trips

#[test]
fn every_option_round_trips() {
    let p = pki(DistId::DEFAULT);
    let content = b"registration form 2026-0001";
    for oids in [CmsOids::GmT0010, CmsOids::Pkcs7] {
        for encapsulation in [Encapsulation::Attached, Encapsulation::Detached] {
            for attributes in [true, false] {
                let mut signer = CmsSigner::new(&p.key, &p.leaf, oids).encapsulation(encapsulation);
                if !attributes {
                    signer = signer.without_signed_attributes();
                }
                let signed = signer.sign(content, at(NOW)).unwrap();
                let parsed = SignedData::from_der(signed.der()).unwrap();
                assert_eq!(parsed, signed);
                assert_eq!(parsed.oids(), oids);
                let detached = match encapsulation {
                    Encapsulation::Attached => None,
                    _ => Some(&content[..]),
                };
                let verified = parsed.verify(detached, &CmsVerifyOptions::new()).unwrap();
                assert_eq!(verified.content(), content);
                assert_eq!(verified.signer().certificate(), &p.leaf);
                let (time, warnings) = match attributes {
                    true => (Some(at(NOW)), vec![]),
                    false => (None, vec![CmsWarning::NoSignedAttributes]),
                };
                assert_eq!(verified.signer().signing_time(), time);
                assert_eq!(verified.signer().warnings(), warnings.as_slice());
            }
        }
    }
}

/// RFC 5652 §11.3: signing-time is UTCTime through 2049 and GeneralizedTime from 2050.
#[test]
fn signing_time_after_2049_is_generalized_time() {
    let p = pki(DistId::DEFAULT);
    let t2050 = at(2_524_608_000 + 3600);
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::Pkcs7)
        .sign(b"x", t2050)
        .unwrap();
    assert!(signed.der().windows(2).any(|w| w == [0x18, 0x0f]));
    let verified = signed.verify(None, &CmsVerifyOptions::new()).unwrap();
    assert_eq!(verified.signer().signing_time(), Some(t2050));
}

#[test]
fn signing_with_another_key_is_refused() {
    let p = pki(DistId::DEFAULT);
    let err = CmsSigner::new(&p.root_key, &p.leaf, CmsOids::GmT0010)
        .sign(b"x", at(NOW))
        .unwrap_err();
    assert_eq!(
        err,
        CmsError::KeyMismatch {
            subject: p.leaf.subject().to_owned()
        }
    );
}

#[test]
fn detached_without_content_is_refused() {
    let p = pki(DistId::DEFAULT);
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::GmT0010)
        .encapsulation(Encapsulation::Detached)
        .sign(b"x", at(NOW))
        .unwrap();
    assert_eq!(
        signed.verify(None, &CmsVerifyOptions::new()).unwrap_err(),
        CmsError::ContentMissing
    );
}

/// A signature made with one SM2 ID does not verify with the other.
#[test]
fn sm2_id_is_explicit() {
    let p = pki(DistId::EMPTY);
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::Pkcs7)
        .sign(b"x", at(NOW))
        .unwrap();
    let err = signed.verify(None, &CmsVerifyOptions::new()).unwrap_err();
    assert_eq!(
        err,
        CmsError::BadSignature {
            signer: 0,
            subject: p.leaf.subject().to_owned(),
            id: "1234567812345678".into()
        }
    );
    let verified = signed
        .verify(None, &CmsVerifyOptions::new().sm2_id(DistId::EMPTY))
        .unwrap();
    assert_eq!(verified.signer().sm2_id(), &DistId::EMPTY);
}

/// The signer certificate's path, validated on request (RFC 5280 §6 through verify_path).
#[test]
fn path_validation_on_request() {
    let p = pki(DistId::DEFAULT);
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::GmT0010)
        .sign(b"x", at(NOW))
        .unwrap();
    let options = CmsVerifyOptions::new().verify_path(
        vec![p.root.clone()],
        VerifyOptions::new(at(NOW)).require(RequiredUsage::SIGNING),
    );
    let verified = signed.verify(None, &options).unwrap();
    let path = verified.signer().path().unwrap();
    assert_eq!(path.trust_anchor(), &p.root);

    let stranger = pki(DistId::EMPTY);
    let options = CmsVerifyOptions::new()
        .verify_path(vec![stranger.leaf.clone()], VerifyOptions::new(at(NOW)));
    let err = signed.verify(None, &options).unwrap_err();
    assert!(matches!(
        err,
        CmsError::Path {
            signer: 0,
            source: Error::UnknownIssuer { depth: 0, .. }
        }
    ));
}

/// Edits in the signed attributes or in the signature are caught.
#[test]
fn tampering_is_detected() {
    let p = pki(DistId::DEFAULT);
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::GmT0010)
        .sign(b"content", at(NOW))
        .unwrap();
    let der = signed.der();
    // the last digit of the signing-time attribute (the last UTCTime, after the certificates)
    let time = der.windows(2).rposition(|w| w == [0x17, 0x0d]).unwrap() + 2 + 11;
    let mut edited = der.to_vec();
    edited[time] ^= 1;
    let err = SignedData::from_der(&edited)
        .unwrap()
        .verify(None, &CmsVerifyOptions::new())
        .unwrap_err();
    assert!(matches!(err, CmsError::BadSignature { signer: 0, .. }));
    let mut edited = der.to_vec();
    let last = edited.len() - 3;
    edited[last] ^= 0x40;
    let err = SignedData::from_der(&edited)
        .unwrap()
        .verify(None, &CmsVerifyOptions::new())
        .unwrap_err();
    assert!(matches!(
        err,
        CmsError::BadSignature { signer: 0, .. } | CmsError::MalformedSignature { signer: 0, .. }
    ));
}

// ---------------------------------------------------------------------------------------------
// Bad input: precise errors, never a panic

#[test]
fn too_large_input() {
    assert_eq!(
        SignedData::from_der(&vec![0x30; MAX_CMS_LEN + 1]).unwrap_err(),
        CmsError::TooLarge {
            len: MAX_CMS_LEN + 1,
            limit: MAX_CMS_LEN
        }
    );
}

#[test]
fn empty_and_wrong_outer_tag() {
    assert_eq!(
        SignedData::from_der(&[]).unwrap_err(),
        CmsError::Malformed {
            what: "ContentInfo",
            reason: "ContentInfo: missing (the structure ends early)".into()
        }
    );
    assert_eq!(
        SignedData::from_der(&[0x31, 0x00]).unwrap_err(),
        CmsError::Malformed {
            what: "ContentInfo",
            reason: "ContentInfo: expected tag 0x30, found 0x31".into()
        }
    );
}

/// A ContentInfo of another type (PKCS#7 data) is named.
#[test]
fn not_signed_data() {
    let der = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x00,
    ];
    assert_eq!(
        SignedData::from_der(&der).unwrap_err(),
        CmsError::NotSignedData {
            oid: PKCS7_DATA.into()
        }
    );
}

/// A huge length (4 GiB) in the outer header is a decoding error, found at once.
#[test]
fn huge_length() {
    let err = SignedData::from_der(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00]).unwrap_err();
    assert!(matches!(
        err,
        CmsError::Malformed {
            what: "ContentInfo",
            ..
        }
    ));
}

/// Indefinite lengths (BER) are not DER.
#[test]
fn indefinite_length() {
    let err = SignedData::from_der(&[0x30, 0x80, 0x00, 0x00]).unwrap_err();
    assert!(matches!(
        err,
        CmsError::Malformed {
            what: "ContentInfo",
            ..
        }
    ));
}

#[test]
fn trailing_bytes() {
    let der = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat");
    let mut long = der.clone();
    long.push(0);
    let err = SignedData::from_der(&long).unwrap_err();
    assert!(matches!(
        err,
        CmsError::Malformed {
            what: "ContentInfo",
            ..
        }
    ));
}

/// Every truncation of a real SignedData is a Malformed error.
#[test]
fn every_truncation_is_malformed() {
    let der = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat");
    for len in 0..der.len() {
        let err = SignedData::from_der(&der[..len]).unwrap_err();
        assert!(matches!(err, CmsError::Malformed { .. }), "{len}: {err:?}");
    }
}

/// A digest algorithm other than SM3 (SHA-256 here) is named.
#[test]
fn unsupported_digest_algorithm() {
    let der = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat");
    // SignerInfo digestAlgorithm at offset 926: 06 08 2a 81 1c cf 55 01 83 11 (sm3)
    let mut edited = der.clone();
    assert_eq!(
        &edited[926..936],
        &[6, 8, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 1, 0x83, 0x11]
    );
    edited[935] = 0x12; // 1.2.156.10197.1.402
    let err = SignedData::from_der(&edited)
        .unwrap()
        .verify(None, &CmsVerifyOptions::new())
        .unwrap_err();
    assert_eq!(
        err,
        CmsError::UnsupportedDigestAlgorithm {
            signer: 0,
            oid: "1.2.156.10197.1.402".into()
        }
    );
}

/// The signer's serial number changed: its certificate is not found.
#[test]
fn signer_certificate_not_found() {
    let der = ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat");
    let mut edited = der.clone();
    edited[923] ^= 1; // last byte of the SignerInfo serial 20031000136757
    let err = SignedData::from_der(&edited)
        .unwrap()
        .verify(None, &CmsVerifyOptions::new())
        .unwrap_err();
    assert!(matches!(
        err,
        CmsError::SignerCertificateNotFound { signer: 0, ref serial, .. } if serial == "20031000136756"
    ));
}

/// The stable stand-in for `fuzz/fuzz_targets/cms.rs`: the real SignedData, made ones and the
/// fuzz seeds (fuzz/seeds/cms), and 3,000 mutations (fixed seed), parse and verify without a
/// panic.
#[test]
fn parser_survives_seeded_mutations() {
    use rand_chacha::ChaCha20Rng;
    use rand_core::{Rng, SeedableRng};

    let p = pki(DistId::DEFAULT);
    let mut inputs = vec![
        ofd_entry("ofdrw_keyword.ofd", "Doc_0/Signs/Sign_3/SignedValue.dat"),
        ofd_entry(
            "ofdrw_conv_testImageNotFound.ofd",
            "Doc_0/Signs/Sign_0/SignedValue.dat",
        ),
    ];
    for oids in [CmsOids::GmT0010, CmsOids::Pkcs7] {
        let signed = CmsSigner::new(&p.key, &p.leaf, oids)
            .sign(b"x", at(NOW))
            .unwrap();
        inputs.push(signed.der().to_vec());
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/cms");
    for entry in std::fs::read_dir(seeds).unwrap() {
        inputs.push(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let mut rng = ChaCha20Rng::seed_from_u64(0x5eed_c0de);
    for round in 0..3000 {
        let mut bytes = inputs[round % inputs.len()].clone();
        let at = (rng.next_u32() as usize) % bytes.len();
        match rng.next_u32() % 3 {
            0 => bytes[at] ^= 1 << (rng.next_u32() % 8),
            1 => bytes.truncate(at),
            _ => bytes[at] = 0xff,
        }
        if let Ok(signed) = SignedData::from_der(&bytes) {
            let _ = signed.verify(Some(b"x"), &CmsVerifyOptions::new());
            let _ = signed.verify(None, &CmsVerifyOptions::new());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// OpenSSL 3 interop (the `openssl` binary; skipped with a printed reason if it is missing)

/// A scratch directory under target/ for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pki_cms-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn have_openssl() -> bool {
    match Command::new("openssl").arg("version").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            println!("skipped: no openssl binary on PATH");
            false
        }
    }
}

fn openssl_version() -> String {
    let out = Command::new("openssl").arg("version").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl").args(args).output().unwrap()
}

fn write_pem(path: &Path, certificate: &Certificate) {
    let pem = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, certificate.der())
        .unwrap();
    std::fs::write(path, pem).unwrap();
}

/// `openssl cms -verify` of our SignedData, signed with the empty SM2 ID (OpenSSL 3.0 has no
/// option to set an ID for CMS and uses the empty one): PKCS#7 OIDs, attached and detached,
/// with signed attributes, with `-noverify` and with `-CAfile` (path checked). Without signed
/// attributes OpenSSL 3.0 fails (it leaves Z out; checked below).
/// OpenSSL does not know the GM/T 0010 content types: it rejects those with "unsupported
/// content type" (attached) or "content type not signed data" (detached); checked too.
#[test]
fn openssl_verifies_ours_signed_with_the_empty_id() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("openssl-verify");
    let openssl_3_0 = openssl_version().starts_with("OpenSSL 3.0");
    let p = pki(DistId::EMPTY);
    let root = dir.join("root.pem");
    write_pem(&root, &p.root);
    let content = b"registration form 2026-0002\n";
    let message = dir.join("msg");
    std::fs::write(&message, content).unwrap();
    let cms = dir.join("ours.der");
    let out_file = dir.join("out");
    for oids in [CmsOids::GmT0010, CmsOids::Pkcs7] {
        for encapsulation in [Encapsulation::Attached, Encapsulation::Detached] {
            for attributes in [true, false] {
                let mut signer = CmsSigner::new(&p.key, &p.leaf, oids).encapsulation(encapsulation);
                if !attributes {
                    signer = signer.without_signed_attributes();
                }
                let signed = signer.sign(content, at(NOW)).unwrap();
                std::fs::write(&cms, signed.der()).unwrap();
                if oids == CmsOids::GmT0010 {
                    let mut args = vec!["cms", "-verify", "-binary", "-noverify"];
                    args.extend(["-inform", "DER", "-in", cms.to_str().unwrap()]);
                    if encapsulation == Encapsulation::Detached {
                        args.extend(["-content", message.to_str().unwrap()]);
                    }
                    let out = openssl(&args);
                    assert!(!out.status.success());
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(
                        stderr.contains("unsupported content type")
                            || stderr.contains("content type not signed data"),
                        "{stderr}"
                    );
                    continue;
                }
                for trust in [
                    vec!["-noverify"],
                    vec!["-CAfile", root.to_str().unwrap(), "-attime", "1795651200"],
                ] {
                    let mut args = vec!["cms", "-verify", "-binary", "-inform", "DER"];
                    args.extend(["-in", cms.to_str().unwrap()]);
                    args.extend(["-out", out_file.to_str().unwrap()]);
                    if encapsulation == Encapsulation::Detached {
                        args.extend(["-content", message.to_str().unwrap()]);
                    }
                    args.extend(&trust);
                    let out = openssl(&args);
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    if !attributes && openssl_3_0 {
                        // OpenSSL 3.0 checks a SignerInfo without signed attributes with
                        // EVP_PKEY_verify over SM3(content) as e, with no Z: not SM2 as
                        // GB/T 32918.2 defines it, so a standard signature fails there.
                        assert!(!out.status.success());
                        assert!(stderr.contains("verification failure"), "{stderr}");
                        continue;
                    }
                    assert!(
                        out.status.success(),
                        "{oids:?} {encapsulation:?} attributes={attributes} {trust:?}: {stderr}"
                    );
                    assert_eq!(std::fs::read(&out_file).unwrap(), content);
                }
            }
        }
    }
}

/// OpenSSL 3.0 checks CMS SM2 signatures with the empty ID only, so a SignedData made with
/// the GM/T 0010 default ID 1234567812345678 (what real OFD systems use) fails there.
#[test]
fn openssl_3_0_rejects_ours_signed_with_the_default_id() {
    if !have_openssl() {
        return;
    }
    let version = openssl_version();
    if !version.starts_with("OpenSSL 3.0") {
        println!("skipped: the empty-ID quirk is recorded for OpenSSL 3.0, this is {version}");
        return;
    }
    let dir = scratch("openssl-default-id");
    let p = pki(DistId::DEFAULT);
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::Pkcs7)
        .sign(b"x", at(NOW))
        .unwrap();
    let cms = dir.join("ours.der");
    std::fs::write(&cms, signed.der()).unwrap();
    let out = openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-noverify",
        "-inform",
        "DER",
        "-in",
        cms.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("verification failure"));
}

/// `openssl cms -sign` with an SM2 key: OpenSSL 3.0 cannot make SM2 SignedData (its CMS code
/// has no signature algorithm for SM2 keys and fails with "illegal zero content" when writing
/// the SignerInfo); a newer OpenSSL's output is verified with the empty ID here.
#[test]
fn openssl_cms_sign_with_sm2() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("openssl-sign");
    let key = dir.join("key.pem");
    let cert = dir.join("cert.pem");
    let message = dir.join("msg");
    std::fs::write(&message, b"signed by openssl\n").unwrap();
    let keygen = openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:SM2",
        "-out",
        key.to_str().unwrap(),
    ]);
    assert!(keygen.status.success());
    let req = openssl(&[
        "req",
        "-new",
        "-x509",
        "-sm3",
        "-subj",
        "/CN=openssl cms",
        "-days",
        "3650",
        "-key",
        key.to_str().unwrap(),
        "-out",
        cert.to_str().unwrap(),
    ]);
    assert!(
        req.status.success(),
        "{}",
        String::from_utf8_lossy(&req.stderr)
    );
    let cms = dir.join("openssl.der");
    for detach in [true, false] {
        let _ = std::fs::remove_file(&cms);
        let mut args = vec!["cms", "-sign", "-binary", "-md", "sm3"];
        if !detach {
            args.push("-nodetach");
        }
        args.extend([
            "-signer",
            cert.to_str().unwrap(),
            "-inkey",
            key.to_str().unwrap(),
        ]);
        args.extend(["-in", message.to_str().unwrap(), "-outform", "DER"]);
        args.extend(["-out", cms.to_str().unwrap()]);
        let out = openssl(&args);
        let written = std::fs::read(&cms).unwrap_or_default();
        if !out.status.success() || written.is_empty() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            println!(
                "not checked: {} cannot make SM2 SignedData (detached: {detach}): {stderr}",
                openssl_version().trim()
            );
            assert!(stderr.contains("illegal zero content"), "{stderr}");
            continue;
        }
        let signed = SignedData::from_der(&written).unwrap();
        let detached = detach.then_some(&b"signed by openssl\n"[..]);
        let verified = signed
            .verify(detached, &CmsVerifyOptions::new().sm2_id(DistId::EMPTY))
            .unwrap();
        assert_eq!(verified.content(), b"signed by openssl\n");
    }
}

// ---------------------------------------------------------------------------------------------
// Edited SignerInfos (same-length byte edits of a made SignedData)

/// A SignedData made with `oids`, attached, with signed attributes.
fn made(oids: CmsOids) -> (Vec<u8>, Certificate) {
    let p = pki(DistId::DEFAULT);
    let signed = CmsSigner::new(&p.key, &p.leaf, oids)
        .sign(b"content", at(NOW))
        .unwrap();
    (signed.der().to_vec(), p.leaf)
}

/// `der` with the last occurrence of `from` replaced by `to` (same length).
fn edit_last(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = der.windows(from.len()).rposition(|w| w == from).unwrap();
    let mut edited = der.to_vec();
    edited[at..at + to.len()].copy_from_slice(to);
    edited
}

fn verify_edited(der: &[u8]) -> CmsError {
    SignedData::from_der(der)
        .unwrap()
        .verify(None, &CmsVerifyOptions::new())
        .unwrap_err()
}

const SM2_WITH_SM3_OID: [u8; 10] = [6, 8, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 1, 0x83, 0x75];
const CONTENT_TYPE_OID: [u8; 11] = [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 3];
const SIGNING_TIME_OID: [u8; 11] = [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 5];

#[test]
fn unsupported_signature_algorithm() {
    let (der, _) = made(CmsOids::Pkcs7);
    let mut to = SM2_WITH_SM3_OID;
    to[9] = 0x76; // 1.2.156.10197.1.502
    let err = verify_edited(&edit_last(&der, &SM2_WITH_SM3_OID, &to));
    assert_eq!(
        err,
        CmsError::UnsupportedSignatureAlgorithm {
            signer: 0,
            oid: "1.2.156.10197.1.502".into()
        }
    );
}

/// sid `[0]` subjectKeyIdentifier (RFC 5652 §5.3) is parsed but not supported.
#[test]
fn subject_key_identifier_is_not_supported() {
    let (der, _) = made(CmsOids::GmT0010);
    // SignerInfo version 1 followed by the issuerAndSerialNumber SEQUENCE → [0] primitive
    let edited = edit_last(&der, &[2, 1, 1, 0x30], &[2, 1, 1, 0x80]);
    assert_eq!(
        verify_edited(&edited),
        CmsError::UnsupportedSignerIdentifier { signer: 0 }
    );
}

/// RFC 5652 §11.1: the content-type attribute must equal eContentType.
#[test]
fn content_type_attribute_mismatch() {
    let (der, _) = made(CmsOids::GmT0010);
    let gm_data = [6, 10, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 6, 1, 4, 2, 1];
    let mut other = gm_data;
    other[11] = 3;
    let err = verify_edited(&edit_last(&der, &gm_data, &other));
    assert_eq!(
        err,
        CmsError::ContentTypeMismatch {
            signer: 0,
            content: GM_DATA.into(),
            attribute: "1.2.156.10197.6.1.4.2.3".into()
        }
    );
}

/// RFC 5652 §5.3: with signed attributes, content-type must be present.
#[test]
fn content_type_attribute_missing() {
    let (der, _) = made(CmsOids::Pkcs7);
    let mut other = CONTENT_TYPE_OID;
    other[10] = 6; // 1.2.840.113549.1.9.6, an attribute this verifier skips
    assert_eq!(
        verify_edited(&edit_last(&der, &CONTENT_TYPE_OID, &other)),
        CmsError::MissingAttribute {
            signer: 0,
            name: "content-type"
        }
    );
}

/// RFC 5652 §11.2: message-digest is an OCTET STRING (here a UTCTime relabelled).
#[test]
fn message_digest_attribute_of_the_wrong_type() {
    let (der, _) = made(CmsOids::Pkcs7);
    let mut other = SIGNING_TIME_OID;
    other[10] = 4;
    assert_eq!(
        verify_edited(&edit_last(&der, &SIGNING_TIME_OID, &other)),
        CmsError::InvalidAttribute {
            signer: 0,
            name: "message-digest",
            reason: "it is not an OCTET STRING".into()
        }
    );
}

/// RFC 5652 §11.3: signing-time is a Time (here an OID relabelled).
#[test]
fn signing_time_attribute_undecodable() {
    let (der, _) = made(CmsOids::Pkcs7);
    let mut other = CONTENT_TYPE_OID;
    other[10] = 5;
    let err = verify_edited(&edit_last(&der, &CONTENT_TYPE_OID, &other));
    assert!(matches!(
        err,
        CmsError::InvalidAttribute {
            signer: 0,
            name: "signing-time",
            ..
        }
    ));
}

/// RFC 5652 §11.1: content-type is an OBJECT IDENTIFIER (here a UTCTime relabelled).
#[test]
fn content_type_attribute_undecodable() {
    let (der, _) = made(CmsOids::Pkcs7);
    let mut other = SIGNING_TIME_OID;
    other[10] = 3;
    let err = verify_edited(&edit_last(&der, &SIGNING_TIME_OID, &other));
    assert!(matches!(
        err,
        CmsError::InvalidAttribute {
            signer: 0,
            name: "content-type",
            ..
        }
    ));
}

/// A signature that is neither DER nor 64 bytes.
#[test]
fn malformed_signature() {
    let (der, _) = made(CmsOids::Pkcs7);
    // The signature OCTET STRING is the last element: 04 LEN 30 LEN-2 …
    let len = (0x40..0x50u8)
        .find(|len| der[der.len() - usize::from(*len) - 2..].starts_with(&[4, *len, 0x30]))
        .unwrap();
    let at = der.len() - usize::from(len);
    let mut edited = der.clone();
    edited[at] = 0x31;
    let err = verify_edited(&edited);
    assert!(matches!(
        err,
        CmsError::MalformedSignature { signer: 0, .. }
    ));
}

// ---------------------------------------------------------------------------------------------
// Hand-built structures: limits and empty sets

fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let content: Vec<u8> = parts.concat();
    let mut out = vec![tag];
    match content.len() {
        len @ 0..=0x7f => out.push(len as u8),
        len @ 0x80..=0xff => out.extend([0x81, len as u8]),
        len => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend(content);
    out
}

const PKCS7_SIGNED_DATA_OID: [u8; 11] = [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 2];
const PKCS7_DATA_OID: [u8; 11] = [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 1];

/// ContentInfo { signedData, SignedData { 1, {}, { data }, [0] certificates, signerInfos } }.
fn content_info(certificates: &[&[u8]], signer_infos: &[&[u8]]) -> Vec<u8> {
    let mut fields = vec![vec![2, 1, 1], tlv(0x31, &[]), tlv(0x30, &[&PKCS7_DATA_OID])];
    if !certificates.is_empty() {
        fields.push(tlv(0xa0, certificates));
    }
    fields.push(tlv(0x31, signer_infos));
    let parts: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
    let signed_data = tlv(0x30, &parts);
    tlv(0x30, &[&PKCS7_SIGNED_DATA_OID, &tlv(0xa0, &[&signed_data])])
}

/// A minimal SignerInfo: version 1, empty issuer, serial 1, SM3, SM2-with-SM3, empty signature.
fn minimal_signer_info() -> Vec<u8> {
    let sm3 = [6, 8, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 1, 0x83, 0x11];
    tlv(
        0x30,
        &[
            &[2, 1, 1],
            &tlv(0x30, &[&tlv(0x30, &[]), &[2, 1, 1]]),
            &tlv(0x30, &[&sm3]),
            &tlv(0x30, &[&SM2_WITH_SM3_OID]),
            &tlv(4, &[]),
        ],
    )
}

/// RFC 5652 §5.1 allows an empty signerInfos (a certificate bag); there is nothing to verify.
#[test]
fn no_signers() {
    assert_eq!(
        SignedData::from_der(&content_info(&[], &[])).unwrap_err(),
        CmsError::NoSigners
    );
}

#[test]
fn minimal_signer_info_parses_and_finds_no_certificate() {
    let der = content_info(&[], &[&minimal_signer_info()]);
    let signed = SignedData::from_der(&der).unwrap();
    assert_eq!(signed.signer_count(), 1);
    let err = signed
        .verify(Some(b"x"), &CmsVerifyOptions::new())
        .unwrap_err();
    assert_eq!(
        err,
        CmsError::SignerCertificateNotFound {
            signer: 0,
            issuer: String::new(),
            serial: "01".into()
        }
    );
}

#[test]
fn too_many_signers() {
    let one = minimal_signer_info();
    let many = vec![one.as_slice(); smtrust::pki::MAX_CMS_SIGNERS + 1];
    assert_eq!(
        SignedData::from_der(&content_info(&[], &many)).unwrap_err(),
        CmsError::TooMany {
            what: "signers",
            limit: smtrust::pki::MAX_CMS_SIGNERS
        }
    );
}

#[test]
fn too_many_certificates() {
    let p = pki(DistId::DEFAULT);
    let many = vec![p.leaf.der(); smtrust::pki::MAX_CMS_CERTIFICATES + 1];
    let one = minimal_signer_info();
    assert_eq!(
        SignedData::from_der(&content_info(&many, &[&one])).unwrap_err(),
        CmsError::TooMany {
            what: "certificates",
            limit: smtrust::pki::MAX_CMS_CERTIFICATES
        }
    );
}

/// A certificate that does not parse is reported as such.
#[test]
fn broken_certificate() {
    let one = minimal_signer_info();
    let err = SignedData::from_der(&content_info(&[&[0x30, 0]], &[&one])).unwrap_err();
    assert!(matches!(
        err,
        CmsError::Certificate(Error::Malformed {
            what: "certificate",
            ..
        })
    ));
}
