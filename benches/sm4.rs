//! SM4 throughput: every mode at 64 B, 1 KiB and 8 KiB, smtrust's own modes and cores
//! (`smtrust/…`) beside the RustCrypto `sm4` crate under the RustCrypto mode crates
//! (`sm4-crate/…`), measured in one run so the ratio holds on a loaded machine.
//!
//! `CARGO_BUILD_JOBS=1 cargo bench --bench sm4 -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use aes_gcm::AeadInOut;
use cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit,
    KeyIvInit, StreamCipher,
    consts::{U12, U16},
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use smtrust::sm4::{self, Nonce, Padding};

const SIZES: [usize; 3] = [64, 1024, 8192];
const KEY: [u8; 16] = *b"smtrust bench k!";
const IV: [u8; 16] = *b"smtrust bench iv";
const NONCE: [u8; 12] = *b"bench nonce!";

type CrateGcm = aes_gcm::AesGcm<::sm4::Sm4, U12>;
type CrateCcm = ccm::Ccm<::sm4::Sm4, U16, U12>;

/// A benchmark may repeat a nonce; real callers must not.
fn nonce() -> Nonce {
    Nonce::assume_unique_for_key(NONCE)
}

fn ours(c: &mut Criterion) {
    let key = sm4::Key::new(KEY);
    let mut group = c.benchmark_group("smtrust");
    for size in SIZES {
        group.throughput(Throughput::Bytes(u64::try_from(size).unwrap()));
        let mut buffer = vec![0x5a; size];
        let cbc = sm4::cbc_encrypt(&key, &IV, Padding::None, &buffer).unwrap();
        let mut gcm_sealed = buffer.clone();
        let gcm_tag = sm4::gcm_seal_in_place_detached(&key, nonce(), b"", &mut gcm_sealed);
        let gcm_tag = gcm_tag.unwrap();
        let mut ccm_sealed = buffer.clone();
        let mut ccm_tag = [0; 16];
        sm4::ccm_seal_in_place_detached(&key, nonce(), b"", &mut ccm_sealed, &mut ccm_tag).unwrap();
        let mut bench = |name: &str, f: &mut dyn FnMut(&mut [u8])| {
            group.bench_with_input(BenchmarkId::new(name, size), &size, |b, _| {
                b.iter(|| f(black_box(&mut buffer)))
            });
        };
        bench("ecb-enc", &mut |b| {
            sm4::ecb_encrypt_blocks(&key, b).unwrap()
        });
        bench("ecb-dec", &mut |b| {
            sm4::ecb_decrypt_blocks(&key, b).unwrap()
        });
        bench("cbc-enc", &mut |b| {
            black_box(sm4::cbc_encrypt(&key, &IV, Padding::None, b).unwrap());
        });
        bench("cbc-dec", &mut |_| {
            black_box(sm4::cbc_decrypt(&key, &IV, Padding::None, black_box(&cbc)).unwrap());
        });
        bench("ctr", &mut |b| sm4::Ctr::new(&key, &IV).apply_keystream(b));
        bench("cfb-enc", &mut |b| {
            sm4::CfbEncryptor::new(&key, &IV).encrypt(b)
        });
        bench("cfb-dec", &mut |b| {
            sm4::CfbDecryptor::new(&key, &IV).decrypt(b)
        });
        bench("ofb", &mut |b| sm4::Ofb::new(&key, &IV).apply_keystream(b));
        bench("gcm-seal", &mut |b| {
            black_box(sm4::gcm_seal_in_place_detached(&key, nonce(), b"", b).unwrap());
        });
        // Opens start from a copy of a sealed message, so every open succeeds.
        bench("gcm-open", &mut |b| {
            b.copy_from_slice(&gcm_sealed);
            sm4::gcm_open_in_place_detached(&key, nonce(), b"", b, &gcm_tag).unwrap();
        });
        bench("ccm-seal", &mut |b| {
            let mut tag = [0; 16];
            sm4::ccm_seal_in_place_detached(&key, nonce(), b"", b, &mut tag).unwrap();
        });
        bench("ccm-open", &mut |b| {
            b.copy_from_slice(&ccm_sealed);
            sm4::ccm_open_in_place_detached(&key, nonce(), b"", b, &ccm_tag).unwrap();
        });
    }
    group.finish();
}

fn the_crate(c: &mut Criterion) {
    let key = Array::from(KEY);
    let iv = Array::from(IV);
    let cipher = ::sm4::Sm4::new(&key);
    let gcm = CrateGcm::new(&key);
    let ccm = CrateCcm::new(&key);
    let mut group = c.benchmark_group("sm4-crate");
    for size in SIZES {
        group.throughput(Throughput::Bytes(u64::try_from(size).unwrap()));
        let mut buffer = vec![0x5a; size];
        let nonce = Array::from(NONCE);
        let mut gcm_sealed = buffer.clone();
        let gcm_tag = gcm.encrypt_inout_detached(&nonce, b"", gcm_sealed.as_mut_slice().into());
        let gcm_tag = gcm_tag.unwrap();
        let mut ccm_sealed = buffer.clone();
        let ccm_tag = ccm.encrypt_inout_detached(&nonce, b"", ccm_sealed.as_mut_slice().into());
        let ccm_tag = ccm_tag.unwrap();
        let mut bench = |name: &str, f: &mut dyn FnMut(&mut [u8])| {
            group.bench_with_input(BenchmarkId::new(name, size), &size, |b, _| {
                b.iter(|| f(black_box(&mut buffer)))
            });
        };
        bench("ecb-enc", &mut |b| cipher.encrypt_blocks(blocks(b)));
        bench("ecb-dec", &mut |b| cipher.decrypt_blocks(blocks(b)));
        bench("cbc-enc", &mut |b| {
            cbc::Encryptor::<::sm4::Sm4>::new(&key, &iv).encrypt_blocks(blocks(b))
        });
        bench("cbc-dec", &mut |b| {
            cbc::Decryptor::<::sm4::Sm4>::new(&key, &iv).decrypt_blocks(blocks(b))
        });
        bench("ctr", &mut |b| {
            ctr::Ctr128BE::<::sm4::Sm4>::new(&key, &iv).apply_keystream(b)
        });
        bench("cfb-enc", &mut |b| {
            cfb_mode::BufEncryptor::<::sm4::Sm4>::new(&key, &iv).encrypt(b)
        });
        bench("cfb-dec", &mut |b| {
            cfb_mode::BufDecryptor::<::sm4::Sm4>::new(&key, &iv).decrypt(b)
        });
        bench("ofb", &mut |b| {
            ofb::Ofb::<::sm4::Sm4>::new(&key, &iv).apply_keystream(b)
        });
        bench("gcm-seal", &mut |b| {
            black_box(gcm.encrypt_inout_detached(&nonce, b"", b.into()).unwrap());
        });
        bench("gcm-open", &mut |b| {
            b.copy_from_slice(&gcm_sealed);
            gcm.decrypt_inout_detached(&nonce, b"", b.into(), &gcm_tag)
                .unwrap();
        });
        bench("ccm-seal", &mut |b| {
            black_box(ccm.encrypt_inout_detached(&nonce, b"", b.into()).unwrap());
        });
        bench("ccm-open", &mut |b| {
            b.copy_from_slice(&ccm_sealed);
            ccm.decrypt_inout_detached(&nonce, b"", b.into(), &ccm_tag)
                .unwrap();
        });
    }
    group.finish();
}

fn blocks(bytes: &mut [u8]) -> &mut [Array<u8, U16>] {
    Array::slice_as_chunks_mut(bytes).0
}

criterion_group!(benches, ours, the_crate);
criterion_main!(benches);
