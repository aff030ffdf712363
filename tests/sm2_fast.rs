//! The fast SM2 arithmetic (src/sm2/arith) against the RustCrypto `sm2` crate, which is the
//! reference: thousands of random keys, IDs and messages (fixed seeds), edge keys, and the
//! point at infinity as an intermediate result of verification (GB/T 32918.2 §7.1 B6).
//! A dudect-style timing test for signing and decryption is `#[ignore]`d (run it with
//! `cargo test --release --test sm2_fast -- --ignored --nocapture`).

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use sm2::dsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use sm2::dsa::signature::{Signer, Verifier};
use smtrust::sm2::{
    CiphertextFormat, DistId, EncryptingKey, Error, PublicKey, SecretKey, Signature, SigningKey,
    VerifyingKey,
};

/// n, the order of G (GB/T 32918.5).
const ORDER: &str = "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123";

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn random_bytes(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    rng.fill_bytes(&mut out);
    out
}

/// An ASCII ID (the crate takes `&str`) of 0 to 40 characters.
fn random_ascii_id(rng: &mut ChaCha20Rng) -> String {
    let len = rng.next_u32() % 41;
    (0..len)
        .map(|_| char::from(b'!' + u8::try_from(rng.next_u32() % 90).unwrap()))
        .collect()
}

/// n − k as 32 big-endian bytes, for small k.
fn order_minus(k: u8) -> [u8; 32] {
    let mut out: [u8; 32] = hex::decode(ORDER).unwrap().try_into().unwrap();
    let (last, borrow) = out[31].overflowing_sub(k);
    out[31] = last;
    assert!(!borrow);
    out
}

fn small(k: u8) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[31] = k;
    out
}

/// Keys at the edges of [1, n − 2] and around 2²⁵⁵, where carries and signed digits turn.
fn edge_keys() -> Vec<[u8; 32]> {
    let mut near_half = [0u8; 32];
    near_half[0] = 0x80;
    let mut below_half = [0xffu8; 32];
    below_half[0] = 0x7f;
    let mut above_half = near_half;
    above_half[31] = 1;
    vec![
        small(1),
        small(2),
        small(3),
        small(32),
        small(33),
        order_minus(2),
        order_minus(3),
        order_minus(33),
        near_half,
        below_half,
        above_half,
    ]
}

fn their_signer(id: &str, secret: &SecretKey) -> sm2::dsa::SigningKey {
    sm2::dsa::SigningKey::from_slice(id, secret.to_bytes().as_ref()).unwrap()
}

/// The public key d·G agrees with the crate's for edge and random d.
#[test]
fn public_keys_agree_with_the_sm2_crate() {
    let mut rng = rng(41);
    let mut keys = edge_keys();
    for _ in 0..500 {
        keys.push(
            SecretKey::generate(&mut rng)
                .unwrap()
                .to_bytes()
                .as_ref()
                .try_into()
                .unwrap(),
        );
    }
    for bytes in keys {
        let ours = SecretKey::from_bytes(&bytes).unwrap().public_key();
        let theirs = sm2::SecretKey::from_slice(&bytes).unwrap().public_key();
        assert_eq!(
            ours.to_uncompressed().as_slice(),
            theirs.to_sec1_bytes().as_ref()
        );
    }
}

/// GB/T 32918.2 §6–§7 both ways: our signatures verify with the crate and the crate's with
/// us, for random keys, ASCII IDs and messages; deterministic signatures are the crate's
/// exact bytes; a flipped bit in r, s or the message fails on both sides.
#[test]
fn signatures_cross_verify_with_the_sm2_crate() {
    let mut rng = rng(42);
    let mut keys: Vec<SecretKey> = edge_keys()
        .iter()
        .map(|bytes| SecretKey::from_bytes(bytes).unwrap())
        .collect();
    for _ in 0..500 {
        keys.push(SecretKey::generate(&mut rng).unwrap());
    }
    for (round, secret) in keys.into_iter().enumerate() {
        let id = random_ascii_id(&mut rng);
        let msg = random_bytes(&mut rng, round % 200);
        let theirs = their_signer(&id, &secret);
        let ours = SigningKey::new(secret, DistId::new(id.as_bytes().to_vec()).unwrap());

        let our_signature = ours.sign(&mut rng, &msg).unwrap();
        let for_them = sm2::dsa::Signature::from_slice(&our_signature.to_raw()).unwrap();
        assert!(theirs.verifying_key().verify(&msg, &for_them).is_ok());
        let their_signature: sm2::dsa::Signature = theirs.sign(&msg);
        let converted = Signature::from_raw(&their_signature.to_bytes()).unwrap();
        assert_eq!(ours.verifying_key().verify(&msg, &converted), Ok(()));

        let e = ours.verifying_key().digest(&msg);
        let their_prehashed: sm2::dsa::Signature = theirs.sign_prehash(&e).unwrap();
        assert_eq!(
            ours.sign_digest_deterministic(&e).unwrap().to_raw(),
            their_prehashed.to_bytes().as_slice()
        );

        // Negative: one flipped bit anywhere in r‖s, or in e.
        let mut raw = our_signature.to_raw();
        raw[round % 64] ^= 1 << (round % 8);
        if let Ok(bad) = Signature::from_raw(&raw) {
            assert_eq!(
                ours.verifying_key().verify(&msg, &bad),
                Err(Error::BadSignature)
            );
            let bad_theirs = sm2::dsa::Signature::from_slice(&raw).unwrap();
            assert!(theirs.verifying_key().verify(&msg, &bad_theirs).is_err());
        }
        let mut bad_e = e;
        bad_e[round % 32] ^= 0x80;
        assert_eq!(
            ours.verifying_key().verify_digest(&bad_e, &our_signature),
            Err(Error::BadSignature)
        );
        assert!(
            theirs
                .verifying_key()
                .verify_prehash(&bad_e, &for_them)
                .is_err()
        );
    }
}

/// One verifying key used many times (its cached table) and a fresh one per signature agree.
#[test]
fn cached_and_fresh_verifying_keys_agree() {
    let mut rng = rng(43);
    let signer = SigningKey::new(SecretKey::generate(&mut rng).unwrap(), DistId::DEFAULT);
    let kept = signer.verifying_key().clone();
    for round in 0..300 {
        let msg = random_bytes(&mut rng, round % 64);
        let signature = signer.sign(&mut rng, &msg).unwrap();
        let fresh = VerifyingKey::new(*kept.public_key(), DistId::DEFAULT);
        assert_eq!(kept.verify(&msg, &signature), Ok(()));
        assert_eq!(fresh.verify(&msg, &signature), Ok(()));
        let other = random_bytes(&mut rng, 1 + round % 64);
        assert_eq!(kept.verify(&other, &signature), Err(Error::BadSignature));
        assert_eq!(fresh.verify(&other, &signature), Err(Error::BadSignature));
    }
}

/// GB/T 32918.2 §7.1 B6 when s·G + t·P is the point at infinity: with P = d·G and
/// s = −r·d·(1 + d)⁻¹, s + t·d = s + (r + s)·d ≡ 0, so the sum is O and the signature must be
/// rejected (by us and by the crate), whatever e is.
#[test]
fn verification_rejects_a_sum_at_infinity() {
    use sm2::elliptic_curve::PrimeField;
    let mut rng = rng(44);
    for round in 0..50 {
        let secret = SecretKey::generate(&mut rng).unwrap();
        let d = sm2::Scalar::from_repr((*secret.to_bytes()).into()).unwrap();
        let r = sm2::Scalar::from_repr(
            random_bytes(&mut rng, 32)[..]
                .try_into()
                .map(|b: [u8; 32]| {
                    let mut b = b;
                    b[0] &= 0x7f;
                    b.into()
                })
                .unwrap(),
        )
        .unwrap();
        let s = -(r * d) * (d + sm2::Scalar::ONE).invert().unwrap();
        let r_bytes: [u8; 32] = r.to_repr().into();
        let s_bytes: [u8; 32] = s.to_repr().into();
        let signature = Signature::from_components(&r_bytes, &s_bytes).unwrap();
        let verifier = VerifyingKey::new(secret.public_key(), DistId::DEFAULT);
        let msg = random_bytes(&mut rng, round);
        assert_eq!(verifier.verify(&msg, &signature), Err(Error::BadSignature));
        // Also with e chosen so that B7 would pass if x1 were taken as 0.
        let mut e = [0u8; 32];
        e.copy_from_slice(&r_bytes);
        assert_eq!(
            verifier.verify_digest(&e, &signature),
            Err(Error::BadSignature)
        );
        let theirs = sm2::dsa::VerifyingKey::from_sec1_bytes(
            "1234567812345678",
            &secret.public_key().to_uncompressed(),
        )
        .unwrap();
        let for_them = sm2::dsa::Signature::from_slice(&signature.to_raw()).unwrap();
        assert!(theirs.verify_prehash(&e, &for_them).is_err());
    }
}

fn scalar(bytes: &[u8; 32]) -> sm2::Scalar {
    use sm2::elliptic_curve::ops::Reduce;
    <sm2::Scalar as Reduce<sm2::FieldBytes>>::reduce(&sm2::FieldBytes::from(*bytes))
}

fn scalar_bytes(value: &sm2::Scalar) -> [u8; 32] {
    use sm2::elliptic_curve::PrimeField;
    value.to_repr().into()
}

/// P = G (d = 1) and P = −G: with P = −G, s·G + t·P = (s − t)·G = −r·G, whose x is that of
/// r·G, so e = r − x(r·G) mod n makes (r, s) valid for every s with r + s ≠ 0. Both sides
/// accept it and reject it for e + 1.
#[test]
fn verification_with_p_equal_to_plus_and_minus_g() {
    let one = SigningKey::new(SecretKey::from_bytes(&small(1)).unwrap(), DistId::DEFAULT);
    let mut rng = rng(45);
    for round in 0..50 {
        let msg = random_bytes(&mut rng, round);
        let signature = one.sign(&mut rng, &msg).unwrap();
        assert_eq!(one.verifying_key().verify(&msg, &signature), Ok(()));
    }

    let g = one.verifying_key().public_key().to_uncompressed();
    let p: [u8; 32] =
        hex::decode("fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff")
            .unwrap()
            .try_into()
            .unwrap();
    let mut minus_g = g;
    let mut borrow = 0u16;
    for i in (0..32).rev() {
        let diff = u16::from(p[i])
            .wrapping_sub(u16::from(g[33 + i]))
            .wrapping_sub(borrow);
        minus_g[33 + i] = diff.to_le_bytes()[0];
        borrow = u16::from(diff > 0xff);
    }
    let minus_g = PublicKey::from_sec1_bytes(&minus_g).unwrap();
    let verifier = VerifyingKey::new(minus_g, DistId::DEFAULT);
    let theirs =
        sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", &minus_g.to_uncompressed())
            .unwrap();
    for _ in 0..50 {
        let mut r_bytes: [u8; 32] = random_bytes(&mut rng, 32).try_into().unwrap();
        r_bytes[0] &= 0x7f;
        let mut s_bytes: [u8; 32] = random_bytes(&mut rng, 32).try_into().unwrap();
        s_bytes[0] &= 0x7f;
        let r_point = SecretKey::from_bytes(&r_bytes)
            .unwrap()
            .public_key()
            .to_uncompressed();
        let x1: [u8; 32] = r_point[1..33].try_into().unwrap();
        let e = scalar_bytes(&(scalar(&r_bytes) - scalar(&x1)));
        let signature = Signature::from_components(&r_bytes, &s_bytes).unwrap();
        assert_eq!(verifier.verify_digest(&e, &signature), Ok(()));
        let for_them = sm2::dsa::Signature::from_slice(&signature.to_raw()).unwrap();
        assert!(theirs.verify_prehash(&e, &for_them).is_ok());
        let e_plus_1 = scalar_bytes(&(scalar(&e) + scalar(&small(1))));
        assert_eq!(
            verifier.verify_digest(&e_plus_1, &signature),
            Err(Error::BadSignature)
        );
        assert!(theirs.verify_prehash(&e_plus_1, &for_them).is_err());
    }
}

/// GB/T 32918.4 §6–§7 both ways: our ciphertexts decrypt with the crate and the crate's with
/// us, for random and edge keys and messages of 1 to 300 bytes; a flipped bit in C3 or C2
/// fails on both sides, with our one opaque error.
#[test]
fn ciphertexts_cross_decrypt_with_the_sm2_crate() {
    let mut rng = rng(46);
    let mut keys: Vec<SecretKey> = edge_keys()
        .iter()
        .map(|bytes| SecretKey::from_bytes(bytes).unwrap())
        .collect();
    for _ in 0..400 {
        keys.push(SecretKey::generate(&mut rng).unwrap());
    }
    for (round, secret) in keys.into_iter().enumerate() {
        let plaintext = random_bytes(&mut rng, 1 + round % 300);
        let decrypting = sm2::pke::DecryptingKey::from_slice(secret.to_bytes().as_ref()).unwrap();

        let ours = secret.public_key().encrypt(&mut rng, &plaintext).unwrap();
        let der = ours.to_bytes(CiphertextFormat::Der);
        assert_eq!(decrypting.decrypt_der(&der).unwrap(), plaintext);
        assert_eq!(
            &secret.decrypt(&der, CiphertextFormat::Der).unwrap()[..],
            &plaintext[..]
        );

        let theirs = decrypting
            .encrypting_key()
            .encrypt(&mut rng, &plaintext)
            .unwrap();
        let decrypted = secret.decrypt(&theirs, CiphertextFormat::C1C3C2).unwrap();
        assert_eq!(&decrypted[..], &plaintext[..]);

        // Negative: one flipped bit in C3 or C2 (after 04 ‖ x1 ‖ y1).
        let mut bad = theirs.clone();
        let index = 65 + round % (bad.len() - 65);
        bad[index] ^= 1 << (round % 8);
        assert_eq!(
            secret
                .decrypt(&bad, CiphertextFormat::C1C3C2)
                .map(|m| m.to_vec()),
            Err(Error::DecryptionFailed)
        );
        assert!(decrypting.decrypt(&bad).is_err());
    }
}

/// GB/T 32918.4 §6.1 through an [`EncryptingKey`]: for the same random numbers its
/// ciphertexts are byte for byte those of `PublicKey::encrypt`, on its first use (no tables
/// yet) and on the later ones (k·P from the prepared tables), for edge and random keys; and
/// they decrypt with the `sm2` crate.
#[test]
fn encrypting_keys_match_one_shot_encryption() {
    let mut rng = rng(47);
    let mut keys: Vec<SecretKey> = edge_keys()
        .iter()
        .map(|bytes| SecretKey::from_bytes(bytes).unwrap())
        .collect();
    for _ in 0..40 {
        keys.push(SecretKey::generate(&mut rng).unwrap());
    }
    for (round, secret) in keys.into_iter().enumerate() {
        let public = secret.public_key();
        let kept = EncryptingKey::new(public);
        let decrypting = sm2::pke::DecryptingKey::from_slice(secret.to_bytes().as_ref()).unwrap();
        for use_count in 0..6 {
            let plaintext = random_bytes(&mut rng, 1 + (round + use_count) % 200);
            let seed = rng.next_u64();
            let prepared = kept.encrypt(&mut self::rng(seed), &plaintext).unwrap();
            let one_shot = public.encrypt(&mut self::rng(seed), &plaintext).unwrap();
            assert_eq!(prepared, one_shot, "key {round}, use {use_count}");
            let der = prepared.to_bytes(CiphertextFormat::Der);
            assert_eq!(decrypting.decrypt_der(&der).unwrap(), plaintext);
        }
        // A clone keeps the tables; both keep agreeing.
        let copy = kept.clone();
        assert_eq!(copy, kept);
        let seed = rng.next_u64();
        assert_eq!(
            copy.encrypt(&mut self::rng(seed), b"form").unwrap(),
            public.encrypt(&mut self::rng(seed), b"form").unwrap()
        );
        assert_eq!(
            kept.encrypt(&mut self::rng(seed), &[]),
            Err(Error::EmptyPlaintext)
        );
    }
}

/// Welch's t statistic between two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let var =
        |x: &[f64], m: f64| x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0);
    let (ma, mb) = (mean(a), mean(b));
    let (va, vb) = (var(a, ma), var(b, mb));
    (ma - mb) / (va / a.len() as f64 + vb / b.len() as f64).sqrt()
}

/// dudect (Reparaz, Balasch, Verbauwhede 2017): time `op` on each prepared input, whose
/// class is fixed (false) or random (true), drop the slowest tenth of all measurements (the
/// same cut for both classes: interrupts and other processes), and return Welch's t. |t| above
/// 4.5 would mean the time depends on the secret. Inputs of both classes are separate objects
/// made the same way, so memory layout and caches treat them alike.
fn dudect<T>(inputs: &[(bool, T)], op: impl Fn(&T)) -> f64 {
    let samples: Vec<(bool, f64)> = inputs
        .iter()
        .map(|(class, input)| {
            let start = std::time::Instant::now();
            op(input);
            (*class, start.elapsed().as_nanos() as f64)
        })
        .collect();
    let mut sorted: Vec<f64> = samples.iter().map(|(_, t)| *t).collect();
    sorted.sort_by(f64::total_cmp);
    let cut = sorted[sorted.len() * 9 / 10];
    let class = |c: bool| -> Vec<f64> {
        samples
            .iter()
            .filter(|(k, t)| *k == c && *t <= cut)
            .map(|(_, t)| *t)
            .collect()
    };
    welch_t(&class(false), &class(true))
}

/// Constant time of signing and decryption. Fixed class: the key d = 1 (the sparsest scalar)
/// and, for signing, a fixed digest, so the nonce is fixed too. Random class: random keys and
/// digests. Decryption runs on one ciphertext that no key here can open, so every call takes
/// the same path. Run with `--release --ignored --nocapture`; prints |t| for each.
#[test]
#[ignore = "a timing measurement of several seconds: run in release with --ignored --nocapture"]
fn dudect_signing_and_decryption_are_constant_time() {
    const SAMPLES: usize = 20_000;
    let mut rng = rng(47);
    let key_bytes = |rng: &mut ChaCha20Rng| -> (bool, [u8; 32]) {
        let class = rng.next_u32() & 1 == 1;
        let bytes = if class {
            SecretKey::generate(rng)
                .unwrap()
                .to_bytes()
                .as_ref()
                .try_into()
                .unwrap()
        } else {
            small(1)
        };
        (class, bytes)
    };

    let signers: Vec<(bool, (SigningKey, [u8; 32]))> = (0..SAMPLES)
        .map(|_| {
            let (class, bytes) = key_bytes(&mut rng);
            let e: [u8; 32] = if class {
                random_bytes(&mut rng, 32).try_into().unwrap()
            } else {
                [0x11; 32]
            };
            let signer = SigningKey::new(SecretKey::from_bytes(&bytes).unwrap(), DistId::DEFAULT);
            (class, (signer, e))
        })
        .collect();
    let t_sign = dudect(&signers, |(signer, e)| {
        std::hint::black_box(signer.sign_digest_deterministic(e).unwrap());
    });

    let outsider = SecretKey::generate(&mut rng).unwrap();
    let ciphertext = outsider
        .public_key()
        .encrypt(&mut rng, &[0x5a; 32])
        .unwrap();
    let keys: Vec<(bool, SecretKey)> = (0..SAMPLES)
        .map(|_| {
            let (class, bytes) = key_bytes(&mut rng);
            (class, SecretKey::from_bytes(&bytes).unwrap())
        })
        .collect();
    let t_decrypt = dudect(&keys, |key| {
        let result = key.decrypt_ciphertext(std::hint::black_box(&ciphertext));
        assert_eq!(result.map(|m| m.to_vec()), Err(Error::DecryptionFailed));
    });

    println!(
        "dudect |t|: sign {:.2}, decrypt {:.2} ({SAMPLES} measurements each)",
        t_sign.abs(),
        t_decrypt.abs()
    );
    assert!(
        t_sign.abs() < 4.5,
        "signing time depends on the key: t = {t_sign}"
    );
    assert!(
        t_decrypt.abs() < 4.5,
        "decryption time depends on the key: t = {t_decrypt}"
    );
}
