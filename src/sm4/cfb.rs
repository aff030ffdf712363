//! CFB, the cipher feedback mode (GB/T 17964-2021 §7, NIST SP 800-38A §6.3), with 128-bit
//! feedback (CFB128, OpenSSL's `sm4-cfb`).

use zeroize::Zeroize;

use super::cipher::Cipher;
use super::keystream::xor_blocks;
use super::{BLOCK_LEN, Key};

/// Ciphertext blocks whose successors are decrypted together.
const BATCH: usize = 64;

/// Streaming CFB128 encryption of successive buffers of any length, as if they were one
/// message.
///
/// ```
/// use smtrust::sm4;
///
/// let key = sm4::Key::new([0x88; 16]);
/// let iv = [0x99; 16];
/// let mut encryptor = sm4::CfbEncryptor::new(&key, &iv);
/// let mut buffer = b"cipher feedback, in two calls".to_vec();
/// let (head, tail) = buffer.split_at_mut(7);
/// encryptor.encrypt(head);
/// encryptor.encrypt(tail);
/// assert_eq!(buffer, sm4::cfb_encrypt(&key, &iv, b"cipher feedback, in two calls"));
///
/// let mut decryptor = sm4::CfbDecryptor::new(&key, &iv);
/// decryptor.decrypt(&mut buffer);
/// assert_eq!(buffer, b"cipher feedback, in two calls");
/// ```
pub struct CfbEncryptor<'k> {
    state: Feedback<'k>,
}

impl<'k> CfbEncryptor<'k> {
    /// Starts encrypting with feedback register `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            state: Feedback::new(key.cipher(), iv),
        }
    }

    /// Encrypts the next `data.len()` bytes of the message in place.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        let data = self.state.finish_block(data, Direction::Encrypt);
        let (blocks, tail) = data.as_chunks_mut::<BLOCK_LEN>();
        // C_i = P_i ⊕ E(C_{i−1}): one block at a time, each needing the one before.
        for block in blocks {
            let mut keystream = self.state.register;
            self.state.cipher.encrypt_block(&mut keystream);
            *block = (u128::from_ne_bytes(*block) ^ u128::from_ne_bytes(keystream)).to_ne_bytes();
            self.state.register = *block;
            keystream.zeroize();
        }
        self.state.start_block(tail, Direction::Encrypt);
    }
}

impl core::fmt::Debug for CfbEncryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The feedback register holds unused keystream, which is secret.
        f.debug_struct("CfbEncryptor").finish_non_exhaustive()
    }
}

/// Streaming CFB128 decryption of successive buffers of any length; the inverse of
/// [`CfbEncryptor`].
pub struct CfbDecryptor<'k> {
    state: Feedback<'k>,
}

impl<'k> CfbDecryptor<'k> {
    /// Starts decrypting with feedback register `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            state: Feedback::new(key.cipher(), iv),
        }
    }

    /// Decrypts the next `data.len()` bytes of the message in place.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        let data = self.state.finish_block(data, Direction::Decrypt);
        let whole = data.len() - data.len() % BLOCK_LEN;
        let (blocks, tail) = data.split_at_mut(whole);
        // P_i = C_i ⊕ E(C_{i−1}): every ciphertext block is known, so the cipher inputs
        // C_{i−1} are enciphered a batch at a time.
        let mut inputs = [[0; BLOCK_LEN]; BATCH];
        for chunk in blocks.chunks_mut(BATCH * BLOCK_LEN) {
            let (chunk_blocks, _) = chunk.as_chunks::<BLOCK_LEN>();
            let (batch, _) = inputs.split_at_mut(chunk_blocks.len());
            let mut previous = self.state.register;
            for (input, block) in batch.iter_mut().zip(chunk_blocks) {
                *input = previous;
                previous = *block;
            }
            self.state.register = previous;
            self.state.cipher.encrypt_blocks(batch);
            xor_blocks(chunk, batch);
        }
        inputs.zeroize();
        self.state.start_block(tail, Direction::Decrypt);
    }
}

impl core::fmt::Debug for CfbDecryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CfbDecryptor").finish_non_exhaustive()
    }
}

/// Which way the bytes of a partial block go; the ciphertext is what feeds back.
#[derive(Clone, Copy)]
enum Direction {
    Encrypt,
    Decrypt,
}

/// The CFB128 state between calls: the feedback register and, inside a block, that block's
/// keystream; the keystream is wiped on drop.
struct Feedback<'k> {
    cipher: &'k Cipher,
    /// The last ciphertext block (or the IV); inside a block, its first `used` bytes are
    /// already that block's ciphertext.
    register: [u8; BLOCK_LEN],
    /// E(previous register), valid while `used` is between 1 and 15.
    keystream: [u8; BLOCK_LEN],
    used: usize,
}

impl<'k> Feedback<'k> {
    fn new(cipher: &'k Cipher, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            cipher,
            register: *iv,
            keystream: [0; BLOCK_LEN],
            used: 0,
        }
    }

    /// Processes bytes up to the end of a block begun by an earlier call; returns the rest.
    fn finish_block<'a>(&mut self, data: &'a mut [u8], direction: Direction) -> &'a mut [u8] {
        if self.used == 0 {
            return data;
        }
        let (head, rest) = data.split_at_mut(data.len().min(BLOCK_LEN - self.used));
        self.process(head, direction);
        rest
    }

    /// Starts a block with the fewer than 16 bytes of `tail`.
    fn start_block(&mut self, tail: &mut [u8], direction: Direction) {
        if tail.is_empty() {
            return;
        }
        self.keystream = self.register;
        self.cipher.encrypt_block(&mut self.keystream);
        self.process(tail, direction);
    }

    /// XORs bytes of the current block's keystream into `bytes`, keeping the ciphertext.
    fn process(&mut self, bytes: &mut [u8], direction: Direction) {
        let (_, register) = self.register.split_at_mut(self.used);
        let (_, keystream) = self.keystream.split_at(self.used);
        for ((byte, reg), key) in bytes.iter_mut().zip(register).zip(keystream) {
            let input = *byte;
            *byte ^= key;
            *reg = match direction {
                Direction::Encrypt => *byte,
                Direction::Decrypt => input,
            };
        }
        self.used = (self.used + bytes.len()) % BLOCK_LEN;
    }
}

impl Drop for Feedback<'_> {
    fn drop(&mut self) {
        self.keystream.zeroize();
    }
}

/// Encrypts `plaintext` in CFB128 mode under `iv`; see [`CfbEncryptor`].
pub fn cfb_encrypt(key: &Key, iv: &[u8; BLOCK_LEN], plaintext: &[u8]) -> Vec<u8> {
    let mut buffer = plaintext.to_vec();
    CfbEncryptor::new(key, iv).encrypt(&mut buffer);
    buffer
}

/// Decrypts a CFB128 `ciphertext` under `iv`; see [`CfbDecryptor`].
pub fn cfb_decrypt(key: &Key, iv: &[u8; BLOCK_LEN], ciphertext: &[u8]) -> Vec<u8> {
    let mut buffer = ciphertext.to_vec();
    CfbDecryptor::new(key, iv).decrypt(&mut buffer);
    buffer
}
