//! Secrets are wiped when dropped. A counting global allocator watches every deallocation
//! while a test's window is open and records any freed block that still holds a word of the
//! secret under test. Each value is boxed, so its own memory goes back through the
//! allocator; heap buffers it owns are checked the same way.
//!
//! The secret words of a type whose memory holds a derived form (an SM2 scalar in the
//! curve crate's representation, SM4 round keys, HMAC pad states) are read from the live
//! value itself: the 8-byte words of its memory with at least four distinct byte values,
//! less every word also found in a value holding only its public parts (the public key,
//! the verifying key). The test first checks that the live value holds them, so it cannot
//! pass vacuously.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng};
use smtrust::realname::{DataKey, IndexKey, LocalKeyFile, PersonalData, PersonalDataVault};
use smtrust::sm2::{DistId, PublicKey, SecretKey, SigningKey, VerifyingKey};
use smtrust::trace::LogSigner;

const MAX_WORDS: usize = 64;

/// The secret words of the current window (no heap: the allocator reads them).
struct Patterns {
    words: [[u8; 8]; MAX_WORDS],
    len: usize,
}

static PATTERNS: Mutex<Patterns> = Mutex::new(Patterns {
    words: [[0; 8]; MAX_WORDS],
    len: 0,
});
static WINDOW_OPEN: AtomicBool = AtomicBool::new(false);
static LEAKS: AtomicUsize = AtomicUsize::new(0);
static CHECKED: AtomicUsize = AtomicUsize::new(0);
/// One test at a time: the window and the patterns are global.
static SERIAL: Mutex<()> = Mutex::new(());

struct Watching;

// SAFETY: every call forwards to `System` with the caller's arguments; `dealloc` only reads
// the block it is handed, which is still allocated until `System.dealloc` returns.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WINDOW_OPEN.load(Ordering::SeqCst) {
            // SAFETY: `ptr` is a live block of `layout.size()` bytes until freed below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if let Ok(patterns) = PATTERNS.try_lock() {
                CHECKED.fetch_add(1, Ordering::SeqCst);
                let words = patterns.words.get(..patterns.len).unwrap_or(&[]);
                if block.windows(8).any(|w| words.iter().any(|p| p == w)) {
                    LEAKS.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

/// The bytes of a live value.
fn bytes_of<T>(value: &T) -> Vec<u8> {
    // SAFETY: reading `size_of::<T>()` initialised-or-padding bytes of a live value as u8;
    // padding is only compared, never interpreted.
    unsafe { std::slice::from_raw_parts((value as *const T).cast::<u8>(), size_of::<T>()).to_vec() }
}

fn words(bytes: &[u8]) -> Vec<[u8; 8]> {
    bytes
        .chunks_exact(8)
        .map(|c| <[u8; 8]>::try_from(c).unwrap())
        .collect()
}

/// High-entropy words of `secret` found in no `public` byte string.
fn secret_words(secret: &[u8], public: &[Vec<u8>]) -> Vec<[u8; 8]> {
    let distinct = |w: &[u8; 8]| {
        let mut seen = w.to_vec();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    let mut found: Vec<[u8; 8]> = words(secret)
        .into_iter()
        .filter(|w| distinct(w) >= 4)
        .filter(|w| !public.iter().any(|p| p.windows(8).any(|x| x == w)))
        .collect();
    found.dedup();
    found
}

/// Drops `value` with the window open and returns how many freed blocks still held one of
/// `secret`, which must have at least `min_words` words.
fn leaks_on_drop<T>(value: Box<T>, secret: &[[u8; 8]], min_words: usize) -> usize {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    assert!(
        secret.len() >= min_words,
        "only {} secret words",
        secret.len()
    );
    assert!(secret.len() <= MAX_WORDS);
    {
        let mut patterns = PATTERNS.lock().unwrap();
        patterns.words[..secret.len()].copy_from_slice(secret);
        patterns.len = secret.len();
    }
    LEAKS.store(0, Ordering::SeqCst);
    CHECKED.store(0, Ordering::SeqCst);
    WINDOW_OPEN.store(true, Ordering::SeqCst);
    drop(value);
    WINDOW_OPEN.store(false, Ordering::SeqCst);
    PATTERNS.lock().unwrap().len = 0;
    assert!(
        CHECKED.load(Ordering::SeqCst) >= 1,
        "the box was not freed in the window"
    );
    LEAKS.load(Ordering::SeqCst)
}

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn random_bytes<const N: usize>(seed: u64) -> [u8; N] {
    let mut bytes = [0u8; N];
    rng(seed).fill_bytes(&mut bytes);
    bytes
}

/// The scalar words of an SM2 key: its memory less its public key's.
fn scalar_words(key: &SecretKey) -> Vec<[u8; 8]> {
    let public = bytes_of(&key.public_key());
    secret_words(&bytes_of(key), &[public])
}

#[test]
fn sm2_secret_key_wipes_its_scalar() {
    let key = Box::new(SecretKey::generate(&mut rng(1)).unwrap());
    let secret = scalar_words(&key);
    assert!(words(&bytes_of(&*key)).iter().any(|w| secret.contains(w)));
    assert_eq!(leaks_on_drop(key, &secret, 4), 0);
}

#[test]
fn sm2_signing_key_wipes_d_and_its_inverse() {
    let secret = SecretKey::generate(&mut rng(2)).unwrap();
    let verifying = VerifyingKey::new(secret.public_key(), DistId::DEFAULT);
    let public = [bytes_of(&secret.public_key()), bytes_of(&verifying)];
    let key = Box::new(SigningKey::new(secret, DistId::DEFAULT));
    // The key's own verifying key is public too, and it holds bytes no other instance shares:
    // the empty OnceLock of its cached table is uninitialised memory, as is padding.
    let public = [
        public[0].clone(),
        public[1].clone(),
        bytes_of(key.verifying_key()),
    ];
    // d and (1 + d)^-1: eight words.
    let words = secret_words(&bytes_of(&*key), &public);
    assert_eq!(leaks_on_drop(key, &words, 8), 0);
}

#[test]
fn sm4_key_wipes_its_round_keys() {
    let key = Box::new(smtrust::sm4::Key::new(random_bytes(3)));
    let words = secret_words(&bytes_of(&*key), &[]);
    assert_eq!(leaks_on_drop(key, &words, 12), 0);
}

#[test]
fn hmac_sm3_wipes_its_pad_states() {
    let key: [u8; 32] = random_bytes(4);
    let hmac = Box::new(smtrust::sm3::Hmac::new(&key).chain(b"message"));
    let mut words = secret_words(&bytes_of(&*hmac), &[]);
    words.truncate(MAX_WORDS);
    assert_eq!(leaks_on_drop(hmac, &words, 4), 0);
}

#[test]
fn realname_data_key_wipes_its_bytes() {
    let bytes: [u8; 16] = random_bytes(5);
    let key = Box::new(DataKey::from_bytes(bytes));
    assert_eq!(leaks_on_drop(key, &words(&bytes), 2), 0);
}

#[test]
fn realname_index_key_wipes_its_bytes() {
    let bytes: [u8; 32] = random_bytes(6);
    let key = Box::new(IndexKey::new("idx-1", bytes).unwrap());
    assert_eq!(leaks_on_drop(key, &words(&bytes), 4), 0);
}

/// The KEK's round keys, read from an SM4 key made from the same bytes.
fn kek_words(kek: [u8; 16]) -> Vec<[u8; 8]> {
    let reference = Box::new(smtrust::sm4::Key::new(kek));
    secret_words(&bytes_of(&*reference), &[])
}

#[test]
fn realname_local_key_file_wipes_its_kek() {
    let kek: [u8; 16] = random_bytes(7);
    let words = kek_words(kek);
    let file = Box::new(LocalKeyFile::from_kek_bytes("kek-a", kek).unwrap());
    assert_eq!(leaks_on_drop(file, &words, 12), 0);
}

#[test]
fn realname_vault_wipes_its_kek() {
    let kek: [u8; 16] = random_bytes(8);
    let words = kek_words(kek);
    let vault =
        PersonalDataVault::new(LocalKeyFile::from_kek_bytes("kek-a", kek).unwrap(), "kek-a");
    let vault = Box::new(vault.unwrap());
    assert_eq!(leaks_on_drop(vault, &words, 12), 0);
}

#[test]
fn realname_personal_data_wipes_its_text() {
    // A name long enough for whole words: "欧阳娜娜司马相如".
    let name = "欧阳娜娜司马相如";
    let data = Box::new(PersonalData::new().with_name(name));
    assert_eq!(leaks_on_drop(data, &words(name.as_bytes()), 3), 0);
}

#[test]
fn trace_log_signer_wipes_its_key() {
    let bytes: [u8; 32] = random_bytes(9);
    let reference = SecretKey::from_bytes(&bytes).unwrap();
    let words = scalar_words(&reference);
    drop(reference);
    let signer = Box::new(
        LogSigner::new(
            "smtrust.example/log",
            SecretKey::from_bytes(&bytes).unwrap(),
        )
        .unwrap(),
    );
    assert_eq!(leaks_on_drop(signer, &words, 4), 0);
}

/// The check itself works: a boxed array that is not wiped is reported.
#[test]
fn an_unwiped_secret_is_reported() {
    let bytes: [u8; 32] = random_bytes(10);
    let plain = Box::new(bytes);
    assert!(leaks_on_drop(plain, &words(&bytes), 4) >= 1);
    let public_only = Box::new(
        PublicKey::from_sec1_bytes(
            &SecretKey::generate(&mut rng(11))
                .unwrap()
                .public_key()
                .to_uncompressed(),
        )
        .unwrap(),
    );
    let public_words = secret_words(&bytes_of(&*public_only), &[]);
    assert!(leaks_on_drop(public_only, &public_words, 4) >= 1);
}
