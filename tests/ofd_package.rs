//! OFD packages (GB/T 33190 §7: a zip archive): reading within limits, refusing unsafe and
//! ambiguous entries, and finding the signatures in every real sample (SEAL-SPEC §7, D17).

mod common;

use std::io::{Cursor, Write};

use smtrust::ofd::{Limits, OfdError, Package, RATIO_CHECK_FLOOR, SignatureKind};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(common::vector_path(&format!("seals/{name}"))).unwrap()
}

/// A zip of `entries`, deflated.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(entries, CompressionMethod::Deflated)
}

fn zip_with(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Replaces every occurrence of `from` by `to` (same length) in the raw zip bytes, in the
/// local headers and the central directory alike.
fn patch_names(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(found) = out[at..]
        .windows(from.len())
        .position(|w| w == from.as_bytes())
    {
        let start = at + found;
        out[start..start + to.len()].copy_from_slice(to.as_bytes());
        at = start + to.len();
    }
    out
}

/// The offset of the first central directory header.
fn central_directory(bytes: &[u8]) -> usize {
    bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap()
}

// ---------------------------------------------------------------------------------------------
// The real samples (test-vectors/seals/MANIFEST.md)

/// A signature entry: ID, kind, whether `Type` was written.
type Entry = (&'static str, SignatureKind, bool);

/// Every signed OFD in the samples: where its Signatures.xml is and what it lists.
#[test]
fn every_sample_lists_its_signatures() {
    let cases: [(&str, &str, &[Entry]); 9] = [
        (
            "ofdrw_signedFile.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[("2", SignatureKind::Seal, false)],
        ),
        (
            "ofdrw_v4signed.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[("1", SignatureKind::Seal, false)],
        ),
        (
            "ofdrw_SignScaleError.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[("1", SignatureKind::Seal, false)],
        ),
        (
            "ofdsharp_test.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[("2", SignatureKind::Seal, false)],
        ),
        // dms360: Signatures.xml beside Document.xml (D17).
        (
            "ofdrw_conv_n.ofd",
            "Doc_0/Signatures.xml",
            &[("0", SignatureKind::Seal, false)],
        ),
        // MaxSignId "s4" (D17); a seal and a digital signature.
        (
            "ofdrw_keyword.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[
                ("2", SignatureKind::Seal, true),
                ("4", SignatureKind::Sign, true),
            ],
        ),
        (
            "ofdrw_conv_testImageNotFound.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[
                ("1", SignatureKind::Sign, true),
                ("2", SignatureKind::Sign, true),
            ],
        ),
        (
            "ofdrw_SESV4SignDoc.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[("1", SignatureKind::Seal, true)],
        ),
        (
            "ofdrw_DigitalSign.ofd",
            "Doc_0/Signs/Signatures.xml",
            &[("s001", SignatureKind::Sign, true)],
        ),
    ];
    for (file, list, expected) in cases {
        let package = Package::from_bytes(&sample(file)).unwrap();
        assert!(package.part("/OFD.xml").is_some(), "{file}");
        let entries = package.signatures().unwrap();
        let found: Vec<(&str, SignatureKind, bool)> = entries
            .iter()
            .map(|e| (e.id(), e.kind().clone(), e.type_given()))
            .collect();
        assert_eq!(found, expected, "{file}");
        assert!(entries.iter().all(|e| e.list() == list), "{file}");
    }
}

/// A part is found with and without the leading `/` of an absolute OFD path; directory
/// entries are not parts.
#[test]
fn parts_by_absolute_or_relative_path() {
    let package = Package::from_bytes(&sample("ofdrw_keyword.ofd")).unwrap();
    let xml = std::fs::read(common::vector_path("seals/x_keyword_Sign1_Signature.xml")).unwrap();
    assert_eq!(
        package.part("/Doc_0/Signs/Sign_1/Signature.xml"),
        Some(&xml[..])
    );
    assert_eq!(
        package.part("Doc_0/Signs/Sign_1/Signature.xml"),
        Some(&xml[..])
    );
    assert_eq!(package.part("Doc_0/"), None);
    assert_eq!(package.parts().count(), 15);
}

// ---------------------------------------------------------------------------------------------
// Limits (zip bombs)

/// A generated zip bomb: 16 MiB of zeros deflate to about 16 KiB, a ratio near 1,000.
#[test]
fn zip_bomb_is_refused_by_ratio() {
    let zeros = vec![0u8; 16 << 20];
    let bomb = zip(&[("OFD.xml", b"<OFD/>"), ("Doc_0/bomb.xml", &zeros)]);
    assert!(bomb.len() < 100_000);
    let err = Package::from_bytes(&bomb).unwrap_err();
    let OfdError::CompressionRatioTooHigh {
        name,
        ratio,
        size,
        compressed,
        limit,
    } = err.clone()
    else {
        panic!("{err:?}");
    };
    assert_eq!(
        (name.as_str(), size, limit),
        ("Doc_0/bomb.xml", 16 << 20, 100)
    );
    assert_eq!(ratio, size / compressed);
    assert!(ratio > 500, "{ratio}");
    assert!(err.to_string().contains("max_ratio"));
}

/// The ratio limit applies from RATIO_CHECK_FLOOR bytes up; below it small parts may
/// compress well.
#[test]
fn small_entries_may_compress_well() {
    let zeros = vec![0u8; usize::try_from(RATIO_CHECK_FLOOR).unwrap() - 1];
    let package = Package::from_bytes(&zip(&[("a.xml", &zeros)])).unwrap();
    assert_eq!(package.part("a.xml").unwrap().len(), zeros.len());
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..=10_000).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let bytes = zip_with(&entries, CompressionMethod::Stored);
    assert_eq!(
        Package::from_bytes(&bytes).unwrap_err(),
        OfdError::TooManyEntries {
            count: 10_001,
            limit: 10_000
        }
    );
    let few = zip(&entries[..3]);
    assert_eq!(
        Package::from_bytes_with_limits(&few, &Limits::default().max_entries(2)).unwrap_err(),
        OfdError::TooManyEntries { count: 3, limit: 2 }
    );
}

#[test]
fn entry_too_large() {
    let bytes = zip(&[("a", &[7u8; 1001][..])]);
    let limits = Limits::default().max_entry_size(1000);
    assert_eq!(
        Package::from_bytes_with_limits(&bytes, &limits).unwrap_err(),
        OfdError::EntryTooLarge {
            name: "a".into(),
            size: 1001,
            limit: 1000
        }
    );
    assert!(Package::from_bytes_with_limits(&bytes, &limits.max_entry_size(1001)).is_ok());
}

#[test]
fn package_too_large() {
    let bytes = zip(&[("a", &[1u8; 600][..]), ("b", &[2u8; 600][..])]);
    let limits = Limits::default().max_total_size(1000);
    assert_eq!(
        Package::from_bytes_with_limits(&bytes, &limits).unwrap_err(),
        OfdError::PackageTooLarge {
            total: 1200,
            limit: 1000
        }
    );
}

/// A central directory that declares fewer bytes than the entry holds: reading stops one
/// byte past the declared size.
#[test]
fn entry_larger_than_declared() {
    let bytes = zip_with(&[("a", &[9u8; 100][..])], CompressionMethod::Stored);
    let mut patched = bytes.clone();
    let cd = central_directory(&bytes);
    // Central directory header: uncompressed size at offset 24 (APPNOTE 4.3.12).
    patched[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
    assert_eq!(
        Package::from_bytes(&patched).unwrap_err(),
        OfdError::EntryLargerThanDeclared {
            name: "a".into(),
            declared: 10
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Unsafe and ambiguous entries

#[test]
fn path_traversal_names_are_refused() {
    let cases = [
        ("../evil.xml", "it climbs out of the package with .."),
        ("Doc_0/../../x", "it climbs out of the package with .."),
        ("/etc/passwd", "it is an absolute path"),
        ("C:/x.xml", "it names a drive"),
        ("a\\b.xml", "it contains a backslash"),
    ];
    for (name, reason) in cases {
        let bytes = zip(&[("OFD.xml", b"<OFD/>"), (name, b"x")]);
        assert_eq!(
            Package::from_bytes(&bytes).unwrap_err(),
            OfdError::UnsafeEntryName {
                name: name.into(),
                reason
            },
            "{name}"
        );
    }
}

/// Two entries named alike: the zip reader would keep one silently, so a viewer and this
/// verifier could disagree about the file.
#[test]
fn duplicate_names_are_refused() {
    let bytes = zip(&[("Doc_0/A.xml", b"first"), ("Doc_0/B.xml", b"second")]);
    let twice = patch_names(&bytes, "Doc_0/B.xml", "Doc_0/A.xml");
    assert_eq!(
        Package::from_bytes(&twice).unwrap_err(),
        OfdError::DuplicateEntry {
            name: "Doc_0/A.xml".into()
        }
    );
}

#[test]
fn encrypted_entries_are_refused() {
    let bytes = zip(&[("a.xml", b"<a/>")]);
    let mut patched = bytes.clone();
    let cd = central_directory(&bytes);
    // General purpose flag bit 0: encrypted (APPNOTE 4.4.4).
    patched[cd + 8] |= 1;
    assert_eq!(
        Package::from_bytes(&patched).unwrap_err(),
        OfdError::EncryptedEntry {
            name: "a.xml".into()
        }
    );
}

#[test]
fn not_a_zip() {
    for bytes in [
        &b""[..],
        b"not a zip",
        &sample("ofdrw_signedFile.ofd")[..1000],
    ] {
        assert!(matches!(
            Package::from_bytes(bytes),
            Err(OfdError::Zip { .. })
        ));
    }
}

/// A flipped byte in deflated data fails the CRC (or the inflater).
#[test]
fn corrupt_entry_data() {
    let mut bytes = zip(&[("a.xml", &b"<a>hello hello hello</a>".repeat(50)[..])]);
    bytes[40] ^= 0xff;
    assert!(matches!(
        Package::from_bytes(&bytes),
        Err(OfdError::Zip { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Finding the signatures (GB/T 33190 §7.4, §18.1; SEAL-SPEC D17)

const SIGNATURES: &[u8] = br#"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>s4</ofd:MaxSignId><ofd:Signature ID="7" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>"#;

#[test]
fn unprefixed_namespace_and_relative_locations() {
    let ofd = br#"<OFD xmlns="http://www.ofdspec.org/2016" Version="1.0"><DocBody><DocRoot>Doc_0/Document.xml</DocRoot><Signatures> Doc_0/Signs/Signatures.xml </Signatures></DocBody></OFD>"#;
    let package = Package::from_bytes(&zip(&[
        ("OFD.xml", ofd),
        ("Doc_0/Signs/Signatures.xml", SIGNATURES),
    ]))
    .unwrap();
    let entries = package.signatures().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id(), "7");
    assert_eq!(entries[0].kind(), &SignatureKind::Seal);
    assert!(!entries[0].type_given());
    assert_eq!(entries[0].base_loc(), "Sign_0/Signature.xml");
}

/// Two documents in one package, each with its own signatures.
#[test]
fn every_doc_body_is_read() {
    let ofd = br#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org"><ofd:DocBody><ofd:Signatures>/Doc_0/Signatures.xml</ofd:Signatures></ofd:DocBody><ofd:DocBody><ofd:Signatures>/Doc_1/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"#;
    let second = br#"<Signatures><Signature ID="9" Type="Sign" BaseLoc="/Doc_1/S/Signature.xml"/></Signatures>"#;
    let package = Package::from_bytes(&zip(&[
        ("OFD.xml", ofd),
        ("Doc_0/Signatures.xml", SIGNATURES),
        ("Doc_1/Signatures.xml", second),
    ]))
    .unwrap();
    let ids: Vec<(String, SignatureKind)> = package
        .signatures()
        .unwrap()
        .iter()
        .map(|e| (e.id().to_owned(), e.kind().clone()))
        .collect();
    assert_eq!(
        ids,
        [
            ("7".to_owned(), SignatureKind::Seal),
            ("9".to_owned(), SignatureKind::Sign)
        ]
    );
}

#[test]
fn unsigned_package() {
    let ofd = br#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
    let package = Package::from_bytes(&zip(&[("OFD.xml", ofd)])).unwrap();
    assert_eq!(package.signatures().unwrap_err(), OfdError::Unsigned);
    let empty_list = br#"<ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:Signatures>S.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"#;
    let package = Package::from_bytes(&zip(&[
        ("OFD.xml", empty_list),
        ("S.xml", b"<Signatures/>"),
    ]))
    .unwrap();
    assert_eq!(package.signatures().unwrap_err(), OfdError::Unsigned);
}

#[test]
fn missing_parts_and_elements() {
    let package = Package::from_bytes(&zip(&[("Doc_0/Document.xml", b"<Document/>")])).unwrap();
    assert_eq!(
        package.signatures().unwrap_err(),
        OfdError::MissingPart {
            path: "OFD.xml".into()
        }
    );
    let package = Package::from_bytes(&zip(&[("OFD.xml", b"<Document/>")])).unwrap();
    assert_eq!(
        package.signatures().unwrap_err(),
        OfdError::MissingElement {
            part: "OFD.xml".into(),
            element: "OFD"
        }
    );
    let ofd = br#"<OFD><DocBody><Signatures>/S.xml</Signatures></DocBody></OFD>"#;
    let package = Package::from_bytes(&zip(&[("OFD.xml", ofd)])).unwrap();
    assert_eq!(
        package.signatures().unwrap_err(),
        OfdError::MissingPart {
            path: "S.xml".into()
        }
    );
    let package = Package::from_bytes(&zip(&[
        ("OFD.xml", ofd),
        ("S.xml", b"<Signatures><Signature ID=\"1\"/></Signatures>"),
    ]))
    .unwrap();
    assert_eq!(
        package.signatures().unwrap_err(),
        OfdError::MissingAttribute {
            part: "S.xml".into(),
            element: "Signature",
            attribute: "BaseLoc"
        }
    );
}

#[test]
fn signatures_path_cannot_climb_out() {
    let ofd = br#"<OFD><DocBody><Signatures>../S.xml</Signatures></DocBody></OFD>"#;
    let package = Package::from_bytes(&zip(&[("OFD.xml", ofd)])).unwrap();
    assert_eq!(
        package.signatures().unwrap_err(),
        OfdError::PathEscapesPackage {
            path: "../S.xml".into()
        }
    );
}

#[test]
fn malformed_ofd_xml() {
    let package = Package::from_bytes(&zip(&[("OFD.xml", b"<OFD><DocBody></OFD>")])).unwrap();
    assert!(matches!(
        package.signatures().unwrap_err(),
        OfdError::Xml { part, .. } if part == "OFD.xml"
    ));
}

#[test]
fn too_many_signatures() {
    let list = format!(
        "<Signatures>{}</Signatures>",
        r#"<Signature ID="1" BaseLoc="/x.xml"/>"#.repeat(smtrust::ofd::MAX_SIGNATURES + 1)
    );
    let ofd = br#"<OFD><DocBody><Signatures>/S.xml</Signatures></DocBody></OFD>"#;
    let package =
        Package::from_bytes(&zip(&[("OFD.xml", ofd), ("S.xml", list.as_bytes())])).unwrap();
    assert_eq!(
        package.signatures().unwrap_err(),
        OfdError::TooMany {
            what: "signatures",
            limit: smtrust::ofd::MAX_SIGNATURES
        }
    );
}

/// Packages assembled in memory get the same name checks and count and size limits.
#[test]
fn from_parts_applies_the_same_rules() {
    let part = |name: &str, data: &[u8]| (name.to_owned(), data.to_vec());
    let limits = Limits::default();
    assert_eq!(
        Package::from_parts([part("../x", b"")], &limits).unwrap_err(),
        OfdError::UnsafeEntryName {
            name: "../x".into(),
            reason: "it climbs out of the package with .."
        }
    );
    assert_eq!(
        Package::from_parts([part("a", b"1"), part("a", b"2")], &limits).unwrap_err(),
        OfdError::DuplicateEntry { name: "a".into() }
    );
    assert_eq!(
        Package::from_parts([part("a", b""), part("b", b"")], &limits.max_entries(1)).unwrap_err(),
        OfdError::TooManyEntries { count: 2, limit: 1 }
    );
    assert_eq!(
        Package::from_parts([part("a", &[0; 11])], &limits.max_total_size(10)).unwrap_err(),
        OfdError::PackageTooLarge {
            total: 11,
            limit: 10
        }
    );
    let package = Package::from_parts([part("b", b"22"), part("a", b"1")], &limits).unwrap();
    assert_eq!(format!("{package:?}"), r#"{"a": 1, "b": 2}"#);
}
