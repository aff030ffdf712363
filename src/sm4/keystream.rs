//! The counter-mode keystream under CTR, GCM and CCM: counter blocks are written into a
//! stack buffer and enciphered together, as many as the data needs (up to [`BATCH`]), so the wide
//! kernel runs on full batches and short tails alike.

use zeroize::Zeroize;

use super::BLOCK_LEN;
use super::cipher::Cipher;

/// Blocks enciphered per batch: 1 KiB of keystream.
const BATCH: usize = 64;

/// Blocks the x86 kernels encipher together in one register set (VAES) or two (AES-NI).
const KERNEL_WIDTH: usize = 8;

/// How the counter block steps from one block to the next.
#[derive(Clone, Copy)]
pub(super) enum Increment {
    /// The whole block is one big-endian 128-bit counter (CTR, CCM).
    Whole,
    /// Only the last 32 bits count, modulo 2^32 (GCM's inc32, NIST SP 800-38D §6.2).
    Low32,
}

impl Increment {
    pub(super) fn next(self, counter: u128) -> u128 {
        match self {
            Self::Whole => counter.wrapping_add(1),
            Self::Low32 => {
                let low = (counter as u32).wrapping_add(1);
                counter & !u128::from(u32::MAX) | u128::from(low)
            }
        }
    }
}

/// The counter of keystream blocks E(counter), E(counter + 1), …
pub(super) struct Keystream<'k> {
    cipher: &'k Cipher,
    counter: u128,
    increment: Increment,
}

impl<'k> Keystream<'k> {
    /// Starts at counter block `counter`.
    pub(super) fn new(cipher: &'k Cipher, counter: &[u8; BLOCK_LEN], increment: Increment) -> Self {
        Self {
            cipher,
            counter: u128::from_be_bytes(*counter),
            increment,
        }
    }

    /// Fills `batch` with the next keystream blocks; the counter then stands after the first
    /// `used` of them (the rest is keystream computed ahead, see [`Batch::take`]).
    fn fill(&mut self, batch: &mut [[u8; BLOCK_LEN]], used: usize) {
        let mut counter = self.counter;
        for (i, slot) in batch.iter_mut().enumerate() {
            *slot = counter.to_be_bytes();
            counter = self.increment.next(counter);
            if i + 1 == used {
                self.counter = counter;
            }
        }
        self.cipher.encrypt_blocks(batch);
    }

    /// XORs the keystream into `data`, which starts a block. If `data` ends inside a block,
    /// returns that block's keystream with the number of its bytes used.
    pub(super) fn xor(&mut self, data: &mut [u8]) -> Option<([u8; BLOCK_LEN], usize)> {
        // No batch to clear for nothing (GCM's and CCM's short messages end here).
        if data.is_empty() {
            return None;
        }
        let mut buffer = Batch::new();
        let mut partial = None;
        for chunk in data.chunks_mut(BATCH * BLOCK_LEN) {
            let blocks = chunk.len().div_ceil(BLOCK_LEN);
            let keystream = buffer.take(blocks);
            self.fill(keystream, blocks);
            partial = xor_blocks(chunk, keystream);
        }
        partial
    }

    /// The first keystream block (GCM's E(J0), CCM's S0), then the keystream XORed into
    /// `data`, in the same batch when `data` is short.
    pub(super) fn first_then_xor(&mut self, data: &mut [u8]) -> [u8; BLOCK_LEN] {
        let (head, rest) = data.split_at_mut(data.len().min((BATCH - 1) * BLOCK_LEN));
        let mut buffer = Batch::new();
        let blocks = 1 + head.len().div_ceil(BLOCK_LEN);
        let keystream = buffer.take(blocks);
        self.fill(keystream, blocks);
        let mut first = [0; BLOCK_LEN];
        if let Some((block, others)) = keystream.split_first() {
            first = *block;
            xor_blocks(head, others);
        }
        self.xor(rest);
        first
    }
}

/// Room for one batch of keystream; the part that held keystream is wiped on drop.
struct Batch {
    blocks: [[u8; BLOCK_LEN]; BATCH],
    used: usize,
}

impl Batch {
    fn new() -> Self {
        Self {
            blocks: [[0; BLOCK_LEN]; BATCH],
            used: 0,
        }
    }

    /// The first `count` blocks (at most [`BATCH`]), rounded up to a whole number of
    /// [`KERNEL_WIDTH`] blocks: the kernel then enciphers them in place instead of copying a
    /// short tail through a buffer of its width, and the lanes it would leave idle compute
    /// keystream nobody uses (wiped with the rest).
    fn take(&mut self, count: usize) -> &mut [[u8; BLOCK_LEN]] {
        let count = match count {
            0 | 1 => count,
            _ => count.next_multiple_of(KERNEL_WIDTH).min(BATCH),
        };
        self.used = self.used.max(count);
        let (batch, _) = self.blocks.split_at_mut(count);
        batch
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        let (used, _) = self.blocks.split_at_mut(self.used);
        used.as_flattened_mut().zeroize();
    }
}

/// XORs `keystream` into `data` block by block; if `data` ends inside a block, returns that
/// keystream block and how many of its bytes were used.
pub(super) fn xor_blocks(
    data: &mut [u8],
    keystream: &[[u8; BLOCK_LEN]],
) -> Option<([u8; BLOCK_LEN], usize)> {
    let (whole, rest) = data.as_chunks_mut::<BLOCK_LEN>();
    for (block, key) in whole.iter_mut().zip(keystream) {
        *block = (u128::from_ne_bytes(*block) ^ u128::from_ne_bytes(*key)).to_ne_bytes();
    }
    if rest.is_empty() {
        return None;
    }
    let key = keystream.get(whole.len())?;
    rest.iter_mut().zip(key).for_each(|(byte, k)| *byte ^= k);
    Some((*key, rest.len()))
}
