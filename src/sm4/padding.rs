//! PKCS#7 padding (RFC 5652 §6.3) for 16-byte blocks, with a constant-time strict check.

use subtle::{Choice, ConstantTimeEq, ConstantTimeGreater};
use zeroize::Zeroizing;

use super::{BLOCK_LEN, Error};

/// How ECB and CBC fill the last block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Padding {
    /// PKCS#7 (RFC 5652 §6.3): append n bytes of value n, 1 ≤ n ≤ 16, so that a whole-block
    /// plaintext gains a whole block of `10`s. Decryption checks every padding byte.
    Pkcs7,
    /// No padding: the plaintext must already be a whole number of blocks.
    None,
}

impl Padding {
    /// Returns `data` extended to a whole number of blocks under this padding.
    pub(super) fn pad(self, data: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            Self::None => {
                if data.len().is_multiple_of(BLOCK_LEN) {
                    Ok(data.to_vec())
                } else {
                    Err(Error::PlaintextNotBlockAligned { len: data.len() })
                }
            }
            Self::Pkcs7 => {
                let (body, tail) = data.split_at(data.len() - data.len() % BLOCK_LEN);
                let mut last = Zeroizing::new([0; BLOCK_LEN]);
                last.iter_mut()
                    .zip(tail)
                    .for_each(|(slot, byte)| *slot = *byte);
                pkcs7_fill(&mut last, tail.len());
                let mut padded = Vec::with_capacity(body.len() + BLOCK_LEN);
                padded.extend_from_slice(body);
                padded.extend_from_slice(&*last);
                Ok(padded)
            }
        }
    }

    /// Returns how many bytes of the decrypted `data` are message, after checking the padding.
    pub(crate) fn unpadded_len(self, data: &[u8]) -> Result<usize, Error> {
        match self {
            Self::None => Ok(data.len()),
            Self::Pkcs7 => pkcs7_unpadded_len(data),
        }
    }
}

/// Writes PKCS#7 padding into `block` after its first `filled` bytes (0 to 15): 16 − filled
/// bytes of value 16 − filled.
pub(super) fn pkcs7_fill(block: &mut [u8; BLOCK_LEN], filled: usize) {
    let pad_len = BLOCK_LEN - filled % BLOCK_LEN;
    // `pad_len` is in 1..=16, so it fits a byte.
    let pad_byte = u8::try_from(pad_len).unwrap_or(u8::MAX);
    block
        .iter_mut()
        .skip(BLOCK_LEN - pad_len)
        .for_each(|byte| *byte = pad_byte);
}

/// Checks the PKCS#7 padding at the end of `data` (a whole number of blocks) and returns the
/// message length.
///
/// The pad length n is the last byte; the padding is valid when 1 ≤ n ≤ 16 and the last n
/// bytes all equal n. All 16 bytes of the last block are examined with the same operations
/// whatever their values, and validity is accumulated in a [`Choice`], so the time taken does
/// not depend on where the padding is wrong. Only the final verdict is branched on.
fn pkcs7_unpadded_len(data: &[u8]) -> Result<usize, Error> {
    let Some(last_block) = data.last_chunk::<BLOCK_LEN>() else {
        // No block at all: there is no padding to find.
        return Err(Error::BadPadding);
    };
    let pad = last_block[BLOCK_LEN - 1];
    let mut valid: Choice = !pad.ct_eq(&0) & !pad.ct_gt(&16);
    // `from_end` is the 1-based position counted from the end of the block.
    for (byte, from_end) in last_block.iter().rev().zip(1u8..) {
        let inside_padding = !from_end.ct_gt(&pad);
        valid &= !inside_padding | byte.ct_eq(&pad);
    }
    if bool::from(valid) {
        Ok(data.len() - usize::from(pad))
    } else {
        Err(Error::BadPadding)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap: a panic is a test failure.
mod tests {
    use super::*;

    fn block_ending_in(tail: &[u8]) -> Vec<u8> {
        let mut block = vec![0xa5; BLOCK_LEN - tail.len()];
        block.extend_from_slice(tail);
        block
    }

    #[test]
    fn rfc5652_6_3_pad_lengths() {
        for len in 0..=48 {
            let padded = Padding::Pkcs7.pad(&vec![7; len]).unwrap();
            let pad = BLOCK_LEN - len % BLOCK_LEN;
            assert_eq!(padded.len(), len + pad);
            assert!(padded[len..].iter().all(|&b| usize::from(b) == pad));
            assert_eq!(Padding::Pkcs7.unpadded_len(&padded), Ok(len));
        }
    }

    #[test]
    fn no_padding_needs_whole_blocks() {
        assert_eq!(
            Padding::None.pad(&[0; 17]),
            Err(Error::PlaintextNotBlockAligned { len: 17 })
        );
        assert_eq!(Padding::None.pad(&[0; 32]).unwrap().len(), 32);
        assert_eq!(Padding::None.unpadded_len(&[0; 32]), Ok(32));
    }

    #[test]
    fn every_valid_pad_length_is_accepted() {
        for n in 1..=16u8 {
            let block = block_ending_in(&vec![n; usize::from(n)]);
            assert_eq!(pkcs7_unpadded_len(&block), Ok(BLOCK_LEN - usize::from(n)));
        }
    }

    #[test]
    fn zero_and_oversized_pad_bytes_are_rejected() {
        for last in [0u8, 17, 0x80, 0xff] {
            let block = block_ending_in(&[last]);
            assert_eq!(pkcs7_unpadded_len(&block), Err(Error::BadPadding));
        }
    }

    #[test]
    fn a_wrong_byte_anywhere_in_the_padding_is_rejected() {
        for n in 2..=16u8 {
            for wrong in 0..usize::from(n) - 1 {
                let mut tail = vec![n; usize::from(n)];
                tail[wrong] ^= 0x01;
                let block = block_ending_in(&tail);
                assert_eq!(pkcs7_unpadded_len(&block), Err(Error::BadPadding));
            }
        }
    }

    #[test]
    fn empty_input_has_no_padding() {
        assert_eq!(pkcs7_unpadded_len(&[]), Err(Error::BadPadding));
    }
}
