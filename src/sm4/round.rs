//! The parts of SM4 every core shares: word conversion, the linear maps L and L′, and the key
//! schedule (GB/T 32907-2016 §6–§7).

use zeroize::Zeroize;

use super::{BLOCK_LEN, KEY_LEN};

/// The four 32-bit words of a block, big-endian (GB/T 32907-2016 §5).
pub(super) type Words = [u32; 4];

/// The 32 round keys rk0…rk31 (§7.3).
pub(super) type RoundKeys = [u32; 32];

/// The system parameter FK (§7.3.1).
const FK: Words = [0xa3b1_bac6, 0x56aa_3350, 0x677d_9197, 0xb270_22dc];

/// The fixed parameters CK: byte j of CK_i is (4i + j)·7 mod 256 (§7.3.1).
const CK: RoundKeys = {
    let mut ck = [0; 32];
    let mut i = 0;
    while i < 32 {
        let mut word = 0u32;
        let mut j = 0;
        while j < 4 {
            word = word << 8 | ((4 * i + j) * 7 % 256) as u32;
            j += 1;
        }
        ck[i] = word;
        i += 1;
    }
    ck
};

pub(super) fn to_words(block: &[u8; BLOCK_LEN]) -> Words {
    let mut words = [0; 4];
    for (word, bytes) in words.iter_mut().zip(block.chunks_exact(4)) {
        *word = bytes
            .iter()
            .fold(0, |acc, byte| acc << 8 | u32::from(*byte));
    }
    words
}

/// The output of the last round, in the reversed order R (§7.1): X35, X34, X33, X32.
pub(super) fn from_words(x: Words) -> [u8; BLOCK_LEN] {
    let mut block = [0; BLOCK_LEN];
    for (bytes, word) in block.chunks_exact_mut(4).zip(x.iter().rev()) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    block
}

/// L of the round function (§6.2).
pub(super) fn linear(b: u32) -> u32 {
    b ^ b.rotate_left(2) ^ b.rotate_left(10) ^ b.rotate_left(18) ^ b.rotate_left(24)
}

/// L′ of the key schedule (§7.3).
fn linear_key(b: u32) -> u32 {
    b ^ b.rotate_left(13) ^ b.rotate_left(23)
}

/// Expands `key` into the encryption round keys, with `tau` the S-box on a word (§7.3).
pub(super) fn expand(key: &[u8; KEY_LEN], tau: impl Fn(u32) -> u32) -> RoundKeys {
    let mut k = to_words(key);
    for (word, fk) in k.iter_mut().zip(FK) {
        *word ^= fk;
    }
    let mut rk = [0; 32];
    for (i, (slot, ck)) in rk.iter_mut().zip(CK).enumerate() {
        let t = k[(i + 1) % 4] ^ k[(i + 2) % 4] ^ k[(i + 3) % 4] ^ ck;
        k[i % 4] ^= linear_key(tau(t));
        *slot = k[i % 4];
    }
    k.zeroize();
    rk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbt32907_7_3_1_ck_first_and_last() {
        assert_eq!(CK[0], 0x0007_0e15);
        assert_eq!(CK[1], 0x1c23_2a31);
        assert_eq!(CK[31], 0x646b_7279);
    }
}
