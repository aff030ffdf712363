//! The lenient parsing paths of SEAL-SPEC §5 and §8, one per deviation: each variant is built
//! from a made seal by rewriting one element, parses, and is reported with its D-number; the
//! signatures that do not cover the rewritten element still verify.

use std::time::Duration;

use smtrust::pki::{CertificateBuilder, UnixTime};
use smtrust::seal::{
    CheckName, Deviation, Extension, Picture, PictureFormat, Seal, SealBuilder, SealSignature,
    SignatureBuilder, Status, VerifyOptions,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

fn key(byte: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[byte; 32]).unwrap(), DistId::DEFAULT)
}

/// A DER TLV with a one-byte tag.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The child TLVs of a constructed TLV.
fn children(der: &[u8]) -> Vec<Vec<u8>> {
    let (header, _) = header_len(der);
    let mut rest = &der[header..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (h, len) = header_len(rest);
        out.push(rest[..h + len].to_vec());
        rest = &rest[h + len..];
    }
    out
}

fn header_len(der: &[u8]) -> (usize, usize) {
    let first = der[1] as usize;
    if first < 0x80 {
        (2, first)
    } else {
        let n = first & 0x7f;
        (
            2 + n,
            der[2..2 + n]
                .iter()
                .fold(0, |acc, b| acc << 8 | *b as usize),
        )
    }
}

fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

struct Made {
    maker_key: SigningKey,
    maker: smtrust::pki::Certificate,
    signer_key: SigningKey,
    signer: smtrust::pki::Certificate,
}

fn made() -> Made {
    let (maker_key, signer_key) = (key(2), key(3));
    Made {
        maker: CertificateBuilder::end_entity("CN=Maker", 2)
            .self_signed(&maker_key)
            .unwrap(),
        signer: CertificateBuilder::end_entity("CN=Signer", 3)
            .self_signed(&signer_key)
            .unwrap(),
        maker_key,
        signer_key,
    }
}

fn seal(m: &Made, v1: bool) -> Seal {
    let picture = Picture::new(PictureFormat::Png, b"\x89PNG\r\n\x1a\nx".to_vec(), 40, 40);
    let builder = SealBuilder::new(
        "dev-1",
        "偏差",
        picture,
        at(1_800_000_000),
        at(1_900_000_000),
    )
    .signer(&m.signer)
    .extension(Extension {
        oid: "1.2.3.4".into(),
        critical: false,
        value: b"v".to_vec(),
    });
    if v1 {
        builder.make_v1(&m.maker_key, &m.maker).unwrap()
    } else {
        builder.make_v4(&m.maker_key, &m.maker).unwrap()
    }
}

fn maker_status(seal: &Seal) -> Status {
    seal.verify(&VerifyOptions::new())
        .status(CheckName::SealMakerSignature)
        .unwrap()
}

fn has(warnings: &[smtrust::seal::Warning], deviation: Deviation) -> bool {
    warnings.iter().any(|w| w.deviation == deviation)
}

#[test]
fn timestamp_implicit_or_untagged_is_read_d8() {
    let m = made();
    let base = children(seal(&m, false).der());
    let token = [0x00, 0x01, 0x02, 0x03];
    for (variant, element) in [
        ("[0] EXPLICIT", tlv(0xa0, &tlv(0x03, &token))),
        ("[0] IMPLICIT", tlv(0x80, &token)),
        ("untagged", tlv(0x03, &token)),
    ] {
        let mut parts = base.clone();
        parts.push(element);
        let seal = Seal::from_der(&sequence(&parts)).unwrap();
        assert_eq!(seal.timestamp(), Some(&[1u8, 2, 3][..]), "{variant}");
        assert_eq!(
            has(seal.warnings(), Deviation::TimeStampTagging),
            variant != "[0] EXPLICIT",
            "{variant}"
        );
        // The maker signs only SES_SealInfo, so a timestamp after it changes nothing there.
        assert_eq!(maker_status(&seal), Status::Pass, "{variant}");
    }
}

#[test]
fn seal_info_ext_datas_explicitly_tagged_d6() {
    let m = made();
    let parts = children(seal(&m, false).der());
    let mut info = children(&parts[0]);
    let ext = info.pop().unwrap();
    info.push(tlv(0xa0, &ext));
    let mut rebuilt = vec![sequence(&info)];
    rebuilt.extend_from_slice(&parts[1..]);
    let seal = Seal::from_der(&sequence(&rebuilt)).unwrap();
    assert_eq!(seal.extensions().len(), 1);
    assert!(has(seal.warnings(), Deviation::SealExtDatasTagged));
    // SES_SealInfo changed, so its signature no longer verifies.
    assert_eq!(maker_status(&seal), Status::Fail);
}

#[test]
fn ext_datas_in_an_octet_string_and_unreadable_items_d19() {
    let m = made();
    let parts = children(seal(&m, false).der());
    let mut info = children(&parts[0]);
    let ext = info.pop().unwrap();
    let mut items = children(&ext);
    items.push(tlv(0x30, &[0x05, 0x00])); // not an ExtData
    info.push(tlv(0x04, &sequence(&items)));
    let mut rebuilt = vec![sequence(&info)];
    rebuilt.extend_from_slice(&parts[1..]);
    let seal = Seal::from_der(&sequence(&rebuilt)).unwrap();
    assert_eq!(seal.extensions().len(), 1);
    let d19: Vec<&str> = seal
        .warnings()
        .iter()
        .filter(|w| w.deviation == Deviation::NonStandardV1Shape)
        .map(|w| w.detail.as_str())
        .collect();
    assert_eq!(
        d19,
        [
            "SES_SealInfo.extDatas is wrapped in an OCTET STRING",
            "1 ExtData item(s) in SES_SealInfo.extDatas could not be read and were skipped"
        ]
    );
}

#[test]
fn v4_dates_as_utc_time_d19() {
    let m = made();
    let parts = children(seal(&m, false).der());
    let mut info = children(&parts[0]);
    let mut property = children(&info[2]);
    // validEnd 20300317174640Z → UTCTime 300317174640Z.
    property[6] = tlv(0x17, b"300317174640Z");
    info[2] = sequence(&property);
    let mut rebuilt = vec![sequence(&info)];
    rebuilt.extend_from_slice(&parts[1..]);
    let seal = Seal::from_der(&sequence(&rebuilt)).unwrap();
    assert_eq!(seal.valid_end(), at(1_900_000_000));
    assert!(has(seal.warnings(), Deviation::NonStandardV1Shape));
}

#[test]
fn v1_sign_info_wrapped_in_a_bit_string_still_verifies_d19() {
    let m = made();
    let parts = children(seal(&m, true).der());
    let mut wrapped = vec![0u8];
    wrapped.extend_from_slice(&parts[1]);
    let seal = Seal::from_der(&sequence(&[parts[0].clone(), tlv(0x03, &wrapped)])).unwrap();
    assert!(has(seal.warnings(), Deviation::NonStandardV1Shape));
    // The maker signed SEQUENCE { sealInfo, cert, alg } built from the inner TLVs: unchanged.
    assert_eq!(maker_status(&seal), Status::Pass);
}

#[test]
fn v1_data_hash_as_octet_string_d19() {
    let m = made();
    let seal = seal(&m, true);
    let signed = SignatureBuilder::new(&seal, at(1_850_000_000))
        .document(b"doc")
        .sign(&m.signer_key, &m.signer)
        .unwrap();
    let parts = children(signed.der());
    let mut tbs = children(&parts[0]);
    tbs[3] = tlv(0x04, &tbs[3][3..]); // BIT STRING (unused-bits byte) → OCTET STRING
    let rebuilt = sequence(&[sequence(&tbs), parts[1].clone()]);
    let changed = SealSignature::from_der(&rebuilt).unwrap();
    assert_eq!(changed.data_hash(), signed.data_hash());
    assert!(has(&changed.warnings(), Deviation::NonStandardV1Shape));
    // TBS_Sign changed, so the signature over it fails.
    let report = changed.verify(Some(b"doc"), &VerifyOptions::new());
    assert_eq!(report.status(CheckName::Signature), Some(Status::Fail));
    assert_eq!(report.status(CheckName::DataHash), Some(Status::Pass));
}

#[test]
fn tbs_ext_datas_untagged_d7() {
    let m = made();
    let seal = seal(&m, false);
    let signed = SignatureBuilder::new(&seal, at(1_850_000_000))
        .document(b"doc")
        .extension(Extension {
            oid: "1.2.3.5".into(),
            critical: true,
            value: b"w".to_vec(),
        })
        .sign(&m.signer_key, &m.signer)
        .unwrap();
    assert!(signed.warnings().is_empty());
    let parts = children(signed.der());
    let mut tbs = children(&parts[0]);
    let explicit = tbs.pop().unwrap();
    tbs.push(children(&explicit).remove(0)); // [0] { SEQUENCE } → SEQUENCE
    let mut rebuilt = vec![sequence(&tbs)];
    rebuilt.extend_from_slice(&parts[1..]);
    let changed = SealSignature::from_der(&sequence(&rebuilt)).unwrap();
    assert_eq!(changed.extensions().len(), 1);
    assert!(has(&changed.warnings(), Deviation::TbsExtDatasTagging));
}
