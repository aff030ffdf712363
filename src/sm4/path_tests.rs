//! Every SM4 core, forced one at a time, against the RustCrypto `sm4` crate under the same
//! mode crates: random keys, IVs and nonces, message lengths 0..=4096 for every mode (every
//! length on the cores this machine runs natively, a sweep through 65 blocks and samples
//! beyond on the GFNI cores, which CI runs emulated), and the interop vectors. Only here can
//! a core be chosen, so these are unit tests.

use aes_gcm::AeadInOut;
use cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit,
    KeyIvInit, StreamCipher,
    consts::{U12, U16},
};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use serde_json::Value;

use super::cipher::Core;
use super::hash_key::Backend;
use super::{Error, Key, Nonce, Padding};

/// The longest message of the differential tests; every length up to it is tried.
const MAX_LEN: usize = 4096;

type RefGcm = aes_gcm::AesGcm<::sm4::Sm4, U12>;
type RefCcm = ccm::Ccm<::sm4::Sm4, U16, U12>;

/// `name`'s core if this CPU runs it (and `SMTRUST_TEST_CORES`, if set, names it).
fn core_named(name: &str) -> Option<Core> {
    let core = Core::available()
        .into_iter()
        .find(|core| core.name() == name);
    if core.is_none() {
        println!("skipped: no {name} core to test here");
    }
    core
}

fn random<const N: usize>(rng: &mut ChaCha20Rng) -> [u8; N] {
    let mut bytes = [0; N];
    rng.fill_bytes(&mut bytes);
    bytes
}

fn random_vec(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rng.fill_bytes(&mut bytes);
    bytes
}

fn pkcs7(message: &[u8]) -> Vec<u8> {
    let pad = 16 - message.len() % 16;
    let mut padded = message.to_vec();
    padded.resize(message.len() + pad, u8::try_from(pad).unwrap());
    padded
}

/// One random message of `len` bytes through every mode on `key` and the reference.
fn check_every_mode(rng: &mut ChaCha20Rng, key_bytes: [u8; 16], key: &Key, len: usize) {
    let reference = ::sm4::Sm4::new(&Array::from(key_bytes));
    let iv: [u8; 16] = random(rng);
    let message = random_vec(rng, len);
    let padded = pkcs7(&message);
    let context = format!("length {len}");

    // ECB and CBC with PKCS#7 padding (GB/T 17964-2021 §5, §6).
    let mut expected = padded.clone();
    let (blocks, _) = Array::slice_as_chunks_mut(&mut expected);
    reference.encrypt_blocks(blocks);
    let ciphertext = super::ecb_encrypt(key, Padding::Pkcs7, &message).unwrap();
    assert_eq!(ciphertext, expected, "ECB {context}");
    assert_eq!(
        super::ecb_decrypt(key, Padding::Pkcs7, &ciphertext).unwrap(),
        message
    );

    let mut expected = padded.clone();
    let (blocks, _) = Array::slice_as_chunks_mut(&mut expected);
    cbc::Encryptor::<::sm4::Sm4>::new(&Array::from(key_bytes), &Array::from(iv))
        .encrypt_blocks(blocks);
    let ciphertext = super::cbc_encrypt(key, &iv, Padding::Pkcs7, &message).unwrap();
    assert_eq!(ciphertext, expected, "CBC {context}");
    let mut decrypted = ciphertext.clone();
    let (blocks, _) = Array::slice_as_chunks_mut(&mut decrypted);
    cbc::Decryptor::<::sm4::Sm4>::new(&Array::from(key_bytes), &Array::from(iv))
        .decrypt_blocks(blocks);
    assert_eq!(decrypted, padded);
    assert_eq!(
        super::cbc_decrypt(key, &iv, Padding::Pkcs7, &ciphertext).unwrap(),
        message
    );

    // The stream modes (§7–§9).
    let mut expected = message.clone();
    ctr::Ctr128BE::<::sm4::Sm4>::new(&Array::from(key_bytes), &Array::from(iv))
        .apply_keystream(&mut expected);
    assert_eq!(
        super::ctr_encrypt(key, &iv, &message),
        expected,
        "CTR {context}"
    );
    assert_eq!(super::ctr_decrypt(key, &iv, &expected), message);

    let mut expected = message.clone();
    ofb::Ofb::<::sm4::Sm4>::new(&Array::from(key_bytes), &Array::from(iv))
        .apply_keystream(&mut expected);
    assert_eq!(
        super::ofb_encrypt(key, &iv, &message),
        expected,
        "OFB {context}"
    );
    assert_eq!(super::ofb_decrypt(key, &iv, &expected), message);

    let mut expected = message.clone();
    cfb_mode::BufEncryptor::<::sm4::Sm4>::new(&Array::from(key_bytes), &Array::from(iv))
        .encrypt(&mut expected);
    assert_eq!(
        super::cfb_encrypt(key, &iv, &message),
        expected,
        "CFB {context}"
    );
    assert_eq!(super::cfb_decrypt(key, &iv, &expected), message);

    // GCM and CCM (GB/T 36624-2018 §7, §8) with random associated data.
    let nonce: [u8; 12] = random(rng);
    let aad = random_vec(rng, len % 40);
    let mut expected = message.clone();
    let tag = RefGcm::new(&Array::from(key_bytes))
        .encrypt_inout_detached(&Array::from(nonce), &aad, expected.as_mut_slice().into())
        .unwrap();
    expected.extend_from_slice(&tag);
    let sealed = super::gcm_seal(key, Nonce::assume_unique_for_key(nonce), &aad, &message);
    assert_eq!(sealed.unwrap(), expected, "GCM {context}");
    let opened = super::gcm_open(key, Nonce::assume_unique_for_key(nonce), &aad, &expected);
    assert_eq!(opened.unwrap(), message);

    let mut expected = message.clone();
    let tag = RefCcm::new(&Array::from(key_bytes))
        .encrypt_inout_detached(&Array::from(nonce), &aad, expected.as_mut_slice().into())
        .unwrap();
    expected.extend_from_slice(&tag);
    let sealed = super::ccm_seal(key, Nonce::assume_unique_for_key(nonce), &aad, &message);
    assert_eq!(sealed.unwrap(), expected, "CCM {context}");
    let opened = super::ccm_open(key, Nonce::assume_unique_for_key(nonce), &aad, &expected);
    assert_eq!(opened.unwrap(), message);
}

/// Lengths 0..=`MAX_LEN`, each with a fresh random key every 64 lengths. The portable core
/// runs with the `ghash` crate's GHASH, as on a CPU without `PCLMULQDQ`; the SIMD cores with
/// the fastest GHASH.
fn differential(core: Core, lengths: impl Iterator<Item = usize>, seed: u64) {
    let backend = match core {
        Core::Portable => Backend::Crate,
        #[cfg(target_arch = "x86_64")]
        Core::AesNi(_) | Core::Vaes(_) | Core::GfniAvx2(_) | Core::GfniAvx512(_) => {
            Backend::detect()
        }
    };
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut key_bytes = random(&mut rng);
    let mut key = Key::with_backends(key_bytes, core, backend);
    for len in lengths {
        if len % 64 == 0 {
            key_bytes = random(&mut rng);
            key = Key::with_backends(key_bytes, core, backend);
        }
        check_every_mode(&mut rng, key_bytes, &key, len);
    }
}

/// The core chosen at run time is the fastest this CPU runs, the last of `available`.
#[test]
fn the_detected_core_is_the_fastest_available() {
    if std::env::var_os("SMTRUST_TEST_CORES").is_none() {
        let fastest = Core::available().last().map(|core| core.name());
        assert_eq!(Some(Core::detect().name()), fastest);
    }
}

#[test]
fn aes_ni_core_matches_the_sm4_crate_for_every_mode_and_length_0_to_4096() {
    if let Some(core) = core_named("aes-ni") {
        differential(core, 0..=MAX_LEN, 0x5344_0001);
    }
}

#[test]
fn vaes_core_matches_the_sm4_crate_for_every_mode_and_length_0_to_4096() {
    if let Some(core) = core_named("vaes") {
        differential(core, 0..=MAX_LEN, 0x5344_0005);
    }
}

/// The GFNI cores are tested on CI under emulation, about a hundred times slower than
/// hardware: every length through 65 blocks (the 64-block kernel plus every tail and every
/// narrower kernel) and every 53rd beyond. The modes above the core are the same code for
/// every core and are swept in full on the others.
fn gfni_lengths() -> impl Iterator<Item = usize> {
    (0..=1040)
        .chain((1041..=MAX_LEN).step_by(53))
        .chain([MAX_LEN])
}

#[test]
fn gfni_avx2_core_matches_the_sm4_crate_for_every_mode_lengths_0_to_1040_and_sampled_to_4096() {
    if let Some(core) = core_named("gfni-avx2") {
        differential(core, gfni_lengths(), 0x5344_0006);
    }
}

#[test]
fn gfni_avx512_core_matches_the_sm4_crate_for_every_mode_lengths_0_to_1040_and_sampled_to_4096() {
    if let Some(core) = core_named("gfni-avx512") {
        differential(core, gfni_lengths(), 0x5344_0007);
    }
}

/// The portable circuit is slow in the unoptimised test build: every length up to 300 and
/// every 67th beyond; the full sweep is the ignored test below.
#[test]
fn portable_core_matches_the_sm4_crate_for_every_mode_lengths_0_to_300_and_sampled_to_4096() {
    let lengths = (0..=300)
        .chain((301..=MAX_LEN).step_by(67))
        .chain([MAX_LEN]);
    differential(Core::Portable, lengths, 0x5344_0002);
}

#[test]
#[ignore = "minutes in the test build; run with --ignored (or --release)"]
fn portable_core_matches_the_sm4_crate_for_every_mode_and_length_0_to_4096() {
    differential(Core::Portable, 0..=MAX_LEN, 0x5344_0004);
}

#[test]
fn every_core_gives_the_same_single_blocks_and_batches() {
    // Every batch size 1..=136 through ECB hits each kernel's one-block, narrow, full and tail
    // paths (VAES and GFNI-AVX2: 32, 16 and 8 blocks and what is left; GFNI-AVX-512: 64, 32,
    // 16 and 8); all cores must agree with the crate block by block.
    let mut rng = ChaCha20Rng::seed_from_u64(0x5344_0003);
    for _ in 0..8 {
        let key_bytes = random(&mut rng);
        let reference = ::sm4::Sm4::new(&Array::from(key_bytes));
        for blocks in 1..=136 {
            let data = random_vec(&mut rng, 16 * blocks);
            let mut expected = data.clone();
            let (chunks, _) = Array::slice_as_chunks_mut(&mut expected);
            reference.encrypt_blocks(chunks);
            for core in Core::available() {
                let key = Key::with_core(key_bytes, core);
                let mut ours = data.clone();
                super::ecb_encrypt_blocks(&key, &mut ours).unwrap();
                assert_eq!(ours, expected, "{} {blocks} blocks", core.name());
                super::ecb_decrypt_blocks(&key, &mut ours).unwrap();
                assert_eq!(ours, data, "{} {blocks} blocks", core.name());
                let mut single: [u8; 16] = data[..16].try_into().unwrap();
                key.encrypt_block(&mut single);
                assert_eq!(single, expected[..16], "{}", core.name());
                let mut reference_block = Array::from(single);
                reference.decrypt_block(&mut reference_block);
                key.decrypt_block(&mut single);
                assert_eq!(single, <[u8; 16]>::from(reference_block));
            }
        }
    }
}

#[test]
fn gbt32907_appendix_a_examples_on_every_core() {
    let bytes: [u8; 16] = hex::decode("0123456789abcdeffedcba9876543210")
        .unwrap()
        .try_into()
        .unwrap();
    for core in Core::available() {
        let key = Key::with_core(bytes, core);
        let mut block = bytes;
        key.encrypt_block(&mut block);
        assert_eq!(
            hex::encode(block),
            "681edf34d206965e86b3e94f536e4246",
            "{}",
            core.name()
        );
        // Example 2 (10^6 encryptions) on the fast cores; 10^4 keep the portable run short,
        // and the 10^4-th value is checked against the crate.
        let iterations = if matches!(core, Core::Portable) {
            10_000
        } else {
            1_000_000
        };
        let mut state = bytes;
        let reference = ::sm4::Sm4::new(&Array::from(bytes));
        let mut expected = Array::from(bytes);
        for _ in 0..iterations {
            key.encrypt_block(&mut state);
        }
        if iterations == 1_000_000 {
            assert_eq!(hex::encode(state), "595298c7c6fd271f0402f804c33d3f66");
        } else {
            for _ in 0..iterations {
                reference.encrypt_block(&mut expected);
            }
            assert_eq!(state, <[u8; 16]>::from(expected));
        }
    }
}

/// test-vectors/interop/sm4.json: every positive and negative case, on every core.
#[test]
fn interop_sm4_json_on_every_core() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/interop/sm4.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = file["cases"].as_array().unwrap();
    for core in Core::available() {
        let mut run = 0;
        for case in cases {
            check_case(core, case);
            run += 1;
        }
        assert_eq!(run, 60, "{}", core.name());
    }
}

fn field(case: &Value, name: &str) -> Option<Vec<u8>> {
    case[name].as_str().map(|text| hex::decode(text).unwrap())
}

fn check_case(core: Core, case: &Value) {
    let id = format!("{} on {}", case["id"].as_str().unwrap(), core.name());
    let key = Key::with_core(field(case, "key").unwrap().try_into().unwrap(), core);
    let valid = case["expect"] == "valid";
    let iv: Option<[u8; 16]> = field(case, "iv").and_then(|iv| iv.try_into().ok());
    let ciphertext = field(case, "ciphertext").unwrap();
    let plaintext = field(case, "plaintext");
    let padding = if case["padding"] == "pkcs7" {
        Padding::Pkcs7
    } else {
        Padding::None
    };
    match (case["mode"].as_str().unwrap(), valid) {
        ("ECB" | "CBC", false) => {
            let expected = if ciphertext.len().is_multiple_of(16) {
                Error::BadPadding
            } else {
                Error::CiphertextNotBlockAligned {
                    len: ciphertext.len(),
                }
            };
            let got = match iv {
                Some(iv) => super::cbc_decrypt(&key, &iv, padding, &ciphertext),
                None => super::ecb_decrypt(&key, padding, &ciphertext),
            };
            assert_eq!(got, Err(expected), "{id}");
        }
        // 10^6 one-block encryptions: the portable core's run is the 10^4 one checked against
        // the crate in `gbt32907_appendix_a_examples_on_every_core`.
        ("ECB", true) if case["iterations"].is_u64() && matches!(core, Core::Portable) => {}
        ("ECB", true) if case["iterations"].is_u64() => {
            let mut state: [u8; 16] = plaintext.unwrap().try_into().unwrap();
            for _ in 0..case["iterations"].as_u64().unwrap() {
                key.encrypt_block(&mut state);
            }
            assert_eq!(state.as_slice(), ciphertext, "{id}");
        }
        ("ECB", true) => {
            let plaintext = plaintext.unwrap();
            assert_eq!(
                super::ecb_encrypt(&key, padding, &plaintext).unwrap(),
                ciphertext,
                "{id}"
            );
            assert_eq!(
                super::ecb_decrypt(&key, padding, &ciphertext).unwrap(),
                plaintext,
                "{id}"
            );
        }
        ("CBC", true) => {
            let (iv, plaintext) = (iv.unwrap(), plaintext.unwrap());
            let encrypted = super::cbc_encrypt(&key, &iv, padding, &plaintext).unwrap();
            assert_eq!(encrypted, ciphertext, "{id}");
            let decrypted = super::cbc_decrypt(&key, &iv, padding, &ciphertext).unwrap();
            assert_eq!(decrypted, plaintext, "{id}");
        }
        ("CTR", true) => {
            let (iv, plaintext) = (iv.unwrap(), plaintext.unwrap());
            assert_eq!(
                super::ctr_encrypt(&key, &iv, &plaintext),
                ciphertext,
                "{id}"
            );
        }
        ("CFB", true) => {
            let (iv, plaintext) = (iv.unwrap(), plaintext.unwrap());
            assert_eq!(
                super::cfb_encrypt(&key, &iv, &plaintext),
                ciphertext,
                "{id}"
            );
            assert_eq!(
                super::cfb_decrypt(&key, &iv, &ciphertext),
                plaintext,
                "{id}"
            );
        }
        ("OFB", true) => {
            let (iv, plaintext) = (iv.unwrap(), plaintext.unwrap());
            assert_eq!(
                super::ofb_encrypt(&key, &iv, &plaintext),
                ciphertext,
                "{id}"
            );
        }
        ("GCM", valid) => {
            let nonce = || Nonce::try_assume_unique_for_key(&field(case, "iv").unwrap()).unwrap();
            let aad = field(case, "aad").unwrap();
            let mut sealed = ciphertext.clone();
            sealed.extend_from_slice(&field(case, "tag").unwrap());
            let opened = super::gcm_open(&key, nonce(), &aad, &sealed);
            if valid {
                let plaintext = plaintext.unwrap();
                assert_eq!(opened.unwrap(), plaintext, "{id}");
                assert_eq!(
                    super::gcm_seal(&key, nonce(), &aad, &plaintext).unwrap(),
                    sealed
                );
            } else {
                assert_eq!(opened, Err(Error::AuthenticationFailed), "{id}");
            }
        }
        (mode, _) => panic!("{id}: unexpected case for mode {mode}"),
    }
}
