//! Round-trip, bit-flip and differential properties of SM2 on random inputs (fixed seeds), and
//! the behaviour GB/T 32918 asks for at the edges.

mod common;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::sm2::{
    Ciphertext, CiphertextFormat, DistId, Error, Finding, Hints, KeyCipher, KeyProtection,
    Pbkdf2Prf, PrivateKeyFormat, PublicKey, PublicKeyFormat, SecretKey, Signature,
    SignatureEncoding, SigningKey, VerifyingKey, diagnose,
};

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn random_bytes(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    rng.fill_bytes(&mut out);
    out
}

fn random_id(rng: &mut ChaCha20Rng) -> DistId {
    let len = usize::try_from(rng.next_u32() % 300).unwrap();
    DistId::new(random_bytes(rng, len)).unwrap()
}

/// GB/T 32918.2 §6–§7: whatever the key, ID and message, a signature verifies with the same
/// key, ID and message, in both encodings.
#[test]
fn sign_then_verify_with_random_keys_ids_and_messages() {
    let mut rng = rng(1);
    for round in 0..200 {
        let secret = SecretKey::generate(&mut rng).unwrap();
        let id = random_id(&mut rng);
        let msg_len = usize::try_from(rng.next_u32() % 1000).unwrap();
        let msg = random_bytes(&mut rng, msg_len);
        let signer = SigningKey::new(secret, id.clone());
        let signature = if round % 2 == 0 {
            signer.sign(&mut rng, &msg).unwrap()
        } else {
            signer.sign_deterministic(&msg).unwrap()
        };
        let verifier = signer.verifying_key();
        assert_eq!(verifier.verify(&msg, &signature), Ok(()));
        assert_eq!(Signature::from_der(&signature.to_der()), Ok(signature));
        assert_eq!(Signature::from_raw(&signature.to_raw()), Ok(signature));
        let e = verifier.digest(&msg);
        assert_eq!(verifier.verify_digest(&e, &signature), Ok(()));
        let mut other = msg.clone();
        other.push(0);
        assert_eq!(
            verifier.verify(&other, &signature),
            Err(Error::BadSignature)
        );
    }
}

/// RFC 6979 nonces: the same key and message sign the same; the hedged signer differs each time.
#[test]
fn deterministic_signatures_repeat_and_hedged_ones_do_not() {
    let mut rng = rng(2);
    let signer = SigningKey::new(SecretKey::generate(&mut rng).unwrap(), DistId::DEFAULT);
    let first = signer.sign_deterministic(b"m").unwrap();
    assert_eq!(signer.sign_deterministic(b"m").unwrap(), first);
    let hedged_a = signer.sign(&mut rng, b"m").unwrap();
    let hedged_b = signer.sign(&mut rng, b"m").unwrap();
    assert_ne!(hedged_a, hedged_b);
    assert_ne!(hedged_a, first);
}

/// The largest ID ENTL can describe is 8191 bytes (GB/T 32918.2 §5.5); one byte more is refused.
#[test]
fn dist_id_length_limit() {
    let mut rng = rng(3);
    let id = DistId::new(vec![b'a'; 8191]).unwrap();
    let signer = SigningKey::new(SecretKey::generate(&mut rng).unwrap(), id);
    let signature = signer.sign(&mut rng, b"m").unwrap();
    assert_eq!(signer.verifying_key().verify(b"m", &signature), Ok(()));
    assert_eq!(
        DistId::new(vec![b'a'; 8192]),
        Err(Error::DistIdTooLong { len: 8192 })
    );
}

#[test]
fn digest_length_is_checked() {
    let mut rng = rng(4);
    let signer = SigningKey::new(SecretKey::generate(&mut rng).unwrap(), DistId::DEFAULT);
    assert_eq!(
        signer.sign_digest_deterministic(&[0u8; 31]),
        Err(Error::DigestLength { len: 31 })
    );
    let signature = signer.sign_deterministic(b"m").unwrap();
    assert_eq!(
        signer.verifying_key().verify_digest(&[0u8; 33], &signature),
        Err(Error::DigestLength { len: 33 })
    );
}

type DecodeSignature = fn(&[u8]) -> Result<Signature, Error>;

/// Flipping any single bit of a signature, in either encoding, never yields a valid signature.
#[test]
fn every_bit_flip_of_a_signature_is_rejected() {
    let mut rng = rng(5);
    let signer = SigningKey::new(SecretKey::generate(&mut rng).unwrap(), DistId::DEFAULT);
    let verifier = signer.verifying_key();
    let signature = signer.sign(&mut rng, b"form").unwrap();
    let encodings: [(Vec<u8>, DecodeSignature); 2] = [
        (signature.to_der(), Signature::from_der),
        (signature.to_raw().to_vec(), Signature::from_raw),
    ];
    for (encoded, decode) in encodings {
        for bit in 0..encoded.len() * 8 {
            let mut flipped = encoded.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let result = decode(&flipped).and_then(|sig| verifier.verify(b"form", &sig));
            assert!(result.is_err(), "bit {bit} flipped still verifies");
        }
    }
}

/// Signature components must lie in [1, n − 1] (GB/T 32918.2 §7.1 B1, B2).
#[test]
fn signature_components_out_of_range() {
    let n =
        hex::decode("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123").unwrap();
    let n_minus_1 =
        hex::decode("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122").unwrap();
    let one = [[0u8; 31].as_slice(), &[1]].concat();
    let raw = |r: &[u8], s: &[u8]| [r, s].concat();
    assert!(Signature::from_raw(&raw(&n_minus_1, &n_minus_1)).is_ok());
    assert!(Signature::from_raw(&raw(&one, &one)).is_ok());
    assert_eq!(
        Signature::from_raw(&raw(&n, &one)),
        Err(Error::SignatureComponentOutOfRange { component: "r" })
    );
    assert_eq!(
        Signature::from_raw(&raw(&one, &[0u8; 32])),
        Err(Error::SignatureComponentOutOfRange { component: "s" })
    );
}

/// Every private and public key format round-trips, including each PBES2 cipher and PRF.
#[test]
fn key_formats_round_trip() {
    let mut rng = rng(6);
    for _ in 0..20 {
        let key = SecretKey::generate(&mut rng).unwrap();
        let public = key.public_key();
        let same = |other: Result<SecretKey, Error>| {
            assert_eq!(other.unwrap().to_bytes(), key.to_bytes());
        };
        same(SecretKey::from_pkcs8_der(&key.to_pkcs8_der()));
        same(SecretKey::from_sec1_der(&key.to_sec1_der()));
        same(SecretKey::from_der(&key.to_sec1_der()));
        same(SecretKey::from_pem(&key.to_pkcs8_pem()));
        same(SecretKey::from_pem(&key.to_sec1_pem("EC PRIVATE KEY")));
        same(SecretKey::from_pem(&key.to_sec1_pem("SM2 PRIVATE KEY")));
        same(SecretKey::from_bytes(key.to_bytes().as_ref()));
        assert_eq!(PublicKey::from_spki_der(&public.to_spki_der()), Ok(public));
        assert_eq!(
            PublicKey::from_spki_der(&public.to_spki_der_compressed()),
            Ok(public)
        );
        assert_eq!(PublicKey::from_pem(&public.to_pem()), Ok(public));
        assert_eq!(
            PublicKey::from_sec1_bytes(&public.to_compressed()),
            Ok(public)
        );
        assert_eq!(
            PublicKey::from_sec1_bytes(&public.to_uncompressed()),
            Ok(public)
        );
    }
    let key = SecretKey::generate(&mut rng).unwrap();
    for cipher in [
        KeyCipher::Aes128Cbc,
        KeyCipher::Aes256Cbc,
        KeyCipher::Sm4Cbc,
    ] {
        for prf in [
            Pbkdf2Prf::HmacSha1,
            Pbkdf2Prf::HmacSha256,
            Pbkdf2Prf::HmacSm3,
        ] {
            let protection = KeyProtection {
                cipher,
                prf,
                iterations: 10,
            };
            let pem = key
                .to_pkcs8_encrypted_pem(b"secret", &protection, &mut rng)
                .unwrap();
            let again = SecretKey::from_pkcs8_encrypted_pem(&pem, b"secret").unwrap();
            assert_eq!(again.to_bytes(), key.to_bytes(), "{cipher:?} {prf:?}");
            assert_eq!(
                SecretKey::from_pkcs8_encrypted_pem(&pem, b"Secret").map(|k| k.public_key()),
                Err(Error::KeyDecryptionFailed),
                "{cipher:?} {prf:?}"
            );
        }
    }
}

/// RFC 8018 says iterationCount ≥ 1; an absurd count is refused before any work.
#[test]
fn pbkdf2_iteration_limits() {
    let mut rng = rng(7);
    let key = SecretKey::generate(&mut rng).unwrap();
    for iterations in [0, smtrust::sm2::MAX_PBKDF2_ITERATIONS + 1] {
        let protection = KeyProtection {
            iterations,
            ..KeyProtection::default()
        };
        assert_eq!(
            key.to_pkcs8_encrypted_der(b"p", &protection, &mut rng),
            Err(Error::TooManyIterations {
                iterations: iterations.into(),
                limit: smtrust::sm2::MAX_PBKDF2_ITERATIONS
            })
        );
    }
}

#[test]
fn wrong_pem_labels_are_named() {
    let mut rng = rng(8);
    let key = SecretKey::generate(&mut rng).unwrap();
    assert_eq!(
        PublicKey::from_pem(&key.to_pkcs8_pem()),
        Err(Error::UnexpectedPemLabel {
            label: "PRIVATE KEY".into(),
            expected: "a public key"
        })
    );
    assert!(matches!(
        SecretKey::from_pem(&key.public_key().to_pem()),
        Err(Error::UnexpectedPemLabel { label, .. }) if label == "PUBLIC KEY"
    ));
}

/// Private scalars must lie in [1, n − 2] (GB/T 32918.1 §6.1) and be 32 bytes.
#[test]
fn private_key_range_and_length() {
    let n_minus_2 =
        hex::decode("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121").unwrap();
    assert!(SecretKey::from_bytes(&n_minus_2).is_ok());
    assert!(SecretKey::from_bytes(&[[0u8; 31].as_slice(), &[1]].concat()).is_ok());
    assert_eq!(
        SecretKey::from_bytes(&[0u8; 31]).map(|k| k.public_key()),
        Err(Error::PrivateKeyLength { len: 31 })
    );
    assert_eq!(
        SecretKey::from_bytes(&[0xff; 32]).map(|k| k.public_key()),
        Err(Error::PrivateKeyOutOfRange)
    );
}

#[test]
fn point_encodings_are_checked() {
    assert_eq!(
        PublicKey::from_sec1_bytes(&[0x00]),
        Err(Error::PointAtInfinity)
    );
    assert_eq!(
        PublicKey::from_sec1_bytes(&[]),
        Err(Error::PointEncoding { reason: "empty" })
    );
    assert!(matches!(
        PublicKey::from_sec1_bytes(&[0x05; 65]),
        Err(Error::PointEncoding { .. })
    ));
    assert!(matches!(
        PublicKey::from_sec1_bytes(&[0x04; 64]),
        Err(Error::PointEncoding { .. })
    ));
    assert!(matches!(
        PublicKey::from_sec1_bytes(&[0x02; 32]),
        Err(Error::PointEncoding { .. })
    ));
}

/// GB/T 32918.4 §6–§7: encryption then decryption gives the message back in every layout, and
/// converting between layouts loses nothing.
#[test]
fn encrypt_then_decrypt_in_every_format() {
    let mut rng = rng(9);
    for round in 0..100 {
        let key = SecretKey::generate(&mut rng).unwrap();
        let len = 1 + usize::try_from(rng.next_u32() % 300).unwrap();
        let msg = random_bytes(&mut rng, len);
        let ciphertext = key.public_key().encrypt(&mut rng, &msg).unwrap();
        for format in CiphertextFormat::ALL {
            let bytes = ciphertext.to_bytes(format);
            assert_eq!(
                &key.decrypt(&bytes, format).unwrap()[..],
                &msg[..],
                "{round} {format}"
            );
            assert_eq!(
                Ciphertext::from_bytes(&bytes, format),
                Ok(ciphertext.clone())
            );
            for target in CiphertextFormat::ALL {
                let converted = Ciphertext::convert(&bytes, format, target).unwrap();
                assert_eq!(converted, ciphertext.to_bytes(target));
            }
        }
    }
}

#[test]
fn empty_plaintext_is_refused() {
    let mut rng = rng(10);
    let key = SecretKey::generate(&mut rng).unwrap();
    assert_eq!(
        key.public_key().encrypt(&mut rng, b""),
        Err(Error::EmptyPlaintext)
    );
}

/// Flipping any single bit of any ciphertext layout never decrypts (GB/T 32918.4 §7.1 B1, B6).
#[test]
fn every_bit_flip_of_a_ciphertext_is_rejected() {
    let mut rng = rng(11);
    let key = SecretKey::generate(&mut rng).unwrap();
    let ciphertext = key
        .public_key()
        .encrypt(&mut rng, b"110101199003077777")
        .unwrap();
    for format in CiphertextFormat::ALL {
        let bytes = ciphertext.to_bytes(format);
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(
                key.decrypt(&flipped, format).is_err(),
                "{format}: bit {bit} flipped still decrypts"
            );
        }
    }
}

#[test]
fn decryption_with_the_wrong_key_fails_opaquely() {
    let mut rng = rng(12);
    let key = SecretKey::generate(&mut rng).unwrap();
    let other = SecretKey::generate(&mut rng).unwrap();
    let ciphertext = key.public_key().encrypt(&mut rng, b"m").unwrap();
    assert_eq!(
        other
            .decrypt(
                &ciphertext.to_bytes(CiphertextFormat::Der),
                CiphertextFormat::Der
            )
            .map(|m| m.to_vec()),
        Err(Error::DecryptionFailed)
    );
    assert_eq!(
        other
            .decrypt_detecting_format(&ciphertext.to_bytes(CiphertextFormat::C1C3C2))
            .map(|(m, _)| m.to_vec()),
        Err(Error::DecryptionFailed)
    );
}

/// Differential check against the RustCrypto `sm2` crate: its signatures verify with us and
/// ours with it; its ciphertexts decrypt with us and ours with it.
#[test]
fn agrees_with_the_sm2_crate() {
    use sm2::dsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
    use sm2::dsa::signature::{Signer, Verifier};
    let mut rng = rng(13);
    for round in 0..100u32 {
        let secret = SecretKey::generate(&mut rng).unwrap();
        let msg = random_bytes(&mut rng, usize::try_from(round).unwrap());
        let theirs =
            sm2::dsa::SigningKey::from_slice("1234567812345678", secret.to_bytes().as_ref())
                .unwrap();
        let ours = SigningKey::new(
            SecretKey::from_bytes(secret.to_bytes().as_ref()).unwrap(),
            DistId::DEFAULT,
        );
        let their_signature: sm2::dsa::Signature = theirs.sign(&msg);
        let converted = Signature::from_raw(&their_signature.to_bytes()).unwrap();
        assert_eq!(ours.verifying_key().verify(&msg, &converted), Ok(()));
        let our_signature = ours.sign(&mut rng, &msg).unwrap();
        let for_them = sm2::dsa::Signature::from_slice(&our_signature.to_raw()).unwrap();
        assert!(theirs.verifying_key().verify(&msg, &for_them).is_ok());
        // With the same e, deterministic RFC 6979 nonces give the crate's exact signature.
        let e = ours.verifying_key().digest(&msg);
        let their_prehashed: sm2::dsa::Signature = theirs.sign_prehash(&e).unwrap();
        assert_eq!(
            ours.sign_digest_deterministic(&e).unwrap().to_raw(),
            their_prehashed.to_bytes().as_slice()
        );
        assert!(theirs.verifying_key().verify_prehash(&e, &for_them).is_ok());

        let plaintext = random_bytes(&mut rng, 1 + usize::try_from(round).unwrap());
        let decrypting = sm2::pke::DecryptingKey::from_slice(secret.to_bytes().as_ref()).unwrap();
        let their_ciphertext = decrypting
            .encrypting_key()
            .encrypt(&mut rng, &plaintext)
            .unwrap();
        let decrypted = secret
            .decrypt(&their_ciphertext, CiphertextFormat::C1C3C2)
            .unwrap();
        assert_eq!(&decrypted[..], &plaintext[..]);
        let our_ciphertext = secret.public_key().encrypt(&mut rng, &plaintext).unwrap();
        let their_plaintext = decrypting
            .decrypt(&our_ciphertext.to_bytes(CiphertextFormat::C1C3C2))
            .unwrap();
        assert_eq!(their_plaintext, plaintext);
    }
}

/// Secrets never print: `Debug` shows the public key only.
#[test]
fn debug_output_shows_no_secret() {
    let mut rng = rng(14);
    let key = SecretKey::generate(&mut rng).unwrap();
    let scalar = hex::encode(key.to_bytes().as_ref());
    let compressed = hex::encode(key.public_key().to_compressed());
    let printed = format!("{key:?}");
    assert_eq!(
        printed,
        format!("SecretKey {{ public_key: PublicKey({compressed}), .. }}")
    );
    let signer = SigningKey::new(key, DistId::DEFAULT);
    let printed = format!("{signer:?}");
    assert!(!printed.contains(&scalar));
    assert!(printed.starts_with("SigningKey { verifying_key: VerifyingKey"));
    assert_eq!(
        format!("{:?}", DistId::DEFAULT),
        "DistId(\"1234567812345678\")"
    );
    assert_eq!(
        format!("{:?}", DistId::new(vec![0xff]).unwrap()),
        "DistId(0xff)"
    );
}

/// diagnose: each known blob is recognised for what it is, and the ID and layout are found when
/// the keys are given.
#[test]
fn diagnose_names_formats_ids_and_layouts() {
    let mut rng = rng(15);
    let secret = SecretKey::generate(&mut rng).unwrap();
    let public = secret.public_key();
    let no_hints = Hints::default();
    assert!(
        diagnose(&secret.to_pkcs8_der(), &no_hints)
            .contains(&Finding::PrivateKey(PrivateKeyFormat::Pkcs8))
    );
    assert!(
        diagnose(&secret.to_sec1_der(), &no_hints)
            .contains(&Finding::PrivateKey(PrivateKeyFormat::Sec1))
    );
    let encrypted = secret
        .to_pkcs8_encrypted_der(b"p", &KeyProtection::default(), &mut rng)
        .unwrap();
    assert_eq!(
        diagnose(&encrypted, &no_hints),
        vec![Finding::PrivateKey(PrivateKeyFormat::EncryptedPkcs8)]
    );
    assert_eq!(
        diagnose(public.to_pem().as_bytes(), &no_hints),
        vec![
            Finding::Pem {
                label: "PUBLIC KEY".into()
            },
            Finding::PublicKey(PublicKeyFormat::Spki)
        ]
    );
    assert!(
        diagnose(&public.to_compressed(), &no_hints)
            .contains(&Finding::PublicKey(PublicKeyFormat::Compressed))
    );
    assert!(
        diagnose(&public.to_uncompressed()[1..], &no_hints)
            .contains(&Finding::PublicKey(PublicKeyFormat::BareCoordinates))
    );

    let message = b"registration";
    let signature = SigningKey::new(
        SecretKey::from_bytes(secret.to_bytes().as_ref()).unwrap(),
        DistId::DEFAULT,
    )
    .sign(&mut rng, message)
    .unwrap();
    let hints = Hints {
        public_key: Some(&public),
        message: Some(message),
        ..Hints::default()
    };
    assert!(
        diagnose(&signature.to_raw(), &hints).contains(&Finding::Signature {
            encoding: SignatureEncoding::Raw,
            verifies_with: Some(Some(DistId::DEFAULT)),
        })
    );
    let wrong_message = Hints {
        message: Some(b"other"),
        ..hints
    };
    assert_eq!(
        diagnose(&signature.to_der(), &wrong_message),
        vec![Finding::Signature {
            encoding: SignatureEncoding::Der,
            verifies_with: Some(None),
        }]
    );

    let ciphertext = public.encrypt(&mut rng, b"secret data").unwrap();
    let old_order = ciphertext.to_bytes(CiphertextFormat::C1C2C3);
    let findings = diagnose(&old_order, &no_hints);
    assert_eq!(
        findings,
        vec![Finding::Ciphertext {
            possible_formats: vec![CiphertextFormat::C1C3C2, CiphertextFormat::C1C2C3],
            decrypts_as: None,
        }]
    );
    let with_key = Hints {
        secret_key: Some(&secret),
        ..Hints::default()
    };
    assert_eq!(
        diagnose(&old_order, &with_key),
        vec![Finding::Ciphertext {
            possible_formats: vec![CiphertextFormat::C1C3C2, CiphertextFormat::C1C2C3],
            decrypts_as: Some(Some(CiphertextFormat::C1C2C3)),
        }]
    );
    assert_eq!(diagnose(b"not sm2 at all", &no_hints), vec![]);
}

/// The verifying key keeps the ID it was given, and different IDs give different Z values.
#[test]
fn verifying_key_is_bound_to_its_id() {
    let mut rng = rng(16);
    let public = SecretKey::generate(&mut rng).unwrap().public_key();
    let default = VerifyingKey::new(public, DistId::DEFAULT);
    let empty = VerifyingKey::new(public, DistId::EMPTY);
    assert_eq!(default.id(), &DistId::DEFAULT);
    assert_ne!(default.z(), empty.z());
    assert_eq!(default.z(), &public.z(&DistId::DEFAULT));
}
