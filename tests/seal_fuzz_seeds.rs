//! The stable stand-in for `fuzz/fuzz_targets/seal.rs` and `seal_signature.rs`: the seeds
//! (fuzz/seeds/seal, fuzz/seeds/seal_signature) and 2,000 mutations of them (fixed seed) go
//! through the same parse and verify calls as the fuzz targets, without a panic.

use std::path::Path;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::seal::{Seal, SealSignature, VerifyOptions, verify_der};

fn seeds(kind: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .collect()
}

/// What the seal fuzz target does with one input.
fn seal_target(data: &[u8]) -> bool {
    match Seal::from_der(data) {
        Ok(seal) => {
            assert_eq!(seal.der(), data);
            let _ = (seal.picture().format(), seal.picture().sniffed_format());
            let report = seal.verify(&VerifyOptions::new());
            let _ = (report.verdict(), report.to_json());
            true
        }
        Err(_) => false,
    }
}

/// What the seal-signature fuzz target does with one input.
fn signature_target(data: &[u8]) -> bool {
    let parsed = match SealSignature::from_der(data) {
        Ok(signature) => {
            assert_eq!(signature.der(), data);
            let _ = (signature.signing_time(), signature.warnings());
            let _ = signature.verify(Some(b"document"), &VerifyOptions::new());
            true
        }
        Err(_) => false,
    };
    let _ = verify_der(data, None, &VerifyOptions::new()).to_json();
    parsed
}

/// Flips a bit, truncates or overwrites a byte at a random place.
fn mutate(rng: &mut ChaCha20Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    let at = (rng.next_u32() as usize) % bytes.len();
    match rng.next_u32() % 3 {
        0 => bytes[at] ^= 1 << (rng.next_u32() % 8),
        1 => bytes.truncate(at),
        _ => bytes[at] = 0xff,
    }
    bytes
}

#[test]
fn seal_seeds_parse_and_mutations_do_not_panic() {
    let inputs = seeds("seal");
    assert_eq!(inputs.len(), 3);
    for seed in &inputs {
        assert!(seal_target(seed), "every seal seed parses");
    }
    let mut rng = ChaCha20Rng::seed_from_u64(0x5ea1_5eed);
    let mut parsed = 0;
    for round in 0..1000 {
        parsed += usize::from(seal_target(&mutate(
            &mut rng,
            &inputs[round % inputs.len()],
        )));
    }
    // Flipping a bit inside the picture or a certificate keeps the structure: some mutations
    // must parse, or the mutator only ever hits the outer header.
    assert!(parsed > 0);
}

#[test]
fn signature_seeds_parse_and_mutations_do_not_panic() {
    let inputs = seeds("seal_signature");
    assert_eq!(inputs.len(), 5);
    for seed in &inputs {
        assert!(signature_target(seed), "every seal-signature seed parses");
    }
    let mut rng = ChaCha20Rng::seed_from_u64(0x5160_5eed);
    let mut parsed = 0;
    for round in 0..1000 {
        parsed += usize::from(signature_target(&mutate(
            &mut rng,
            &inputs[round % inputs.len()],
        )));
    }
    assert!(parsed > 0);
}
