//! GCM's hash subkey H = E_K(0¹²⁸) (NIST SP 800-38D §7.1 step 1) and GHASH under it
//! (§6.4): this module's carry-less-multiply kernel where the CPU has `PCLMULQDQ`, else the
//! `ghash` crate.

use ghash::GHash;
use ghash::universal_hash::UniversalHash;
use zeroize::Zeroize;

use super::BLOCK_LEN;
#[cfg(target_arch = "x86_64")]
use super::clmul::Clmul;

/// Which implementation hashes. 16 bytes wide, so that [`HashKey`] has no padding.
#[derive(Clone, Copy, Debug)]
#[repr(u128)]
pub(super) enum Backend {
    /// The `ghash` crate, under a state built per message from H.
    Crate,
    /// `PCLMULQDQ` with four blocks per reduction.
    #[cfg(target_arch = "x86_64")]
    Clmul(Clmul),
}

impl Backend {
    /// The fastest backend this CPU runs.
    pub(super) fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        if let Some(cpu) = Clmul::detect() {
            return Self::Clmul(cpu);
        }
        Self::Crate
    }

    /// Every backend this CPU runs, the crate first (for tests that force each one).
    #[cfg(test)]
    pub(super) fn available() -> Vec<Self> {
        #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
        let mut backends = vec![Self::Crate];
        #[cfg(target_arch = "x86_64")]
        backends.extend(Clmul::detect().map(Self::Clmul));
        backends
    }
}

/// H in the form its backend takes, computed once per key and wiped on drop.
pub(super) struct HashKey {
    /// For [`Backend::Clmul`] H′, H², H³, H⁴ (see `clmul`); for [`Backend::Crate`] H as a
    /// big-endian integer, then zeros.
    powers: [u128; 4],
    backend: Backend,
}

impl HashKey {
    /// The size of the fields alone; `Key` asserts that `HashKey` is no larger.
    pub(super) const UNPADDED_SIZE: usize = size_of::<[u128; 4]>() + size_of::<Backend>();

    /// H = `h` for `backend`.
    pub(super) fn new(h: &[u8; BLOCK_LEN], backend: Backend) -> Self {
        let powers = match backend {
            Backend::Crate => [u128::from_be_bytes(*h), 0, 0, 0],
            #[cfg(target_arch = "x86_64")]
            Backend::Clmul(cpu) => cpu.powers(h),
        };
        Self { powers, backend }
    }

    /// S = GHASH_H(A ‖ 0ᵛ ‖ C ‖ 0ᵘ ‖ [len(A)]₆₄ ‖ [len(C)]₆₄) (SP 800-38D §7.1 step 5).
    pub(super) fn ghash(&self, aad: &[u8], ciphertext: &[u8]) -> [u8; BLOCK_LEN] {
        let bits = [aad.len(), ciphertext.len()].map(|len| (len as u64).wrapping_mul(8));
        match self.backend {
            Backend::Crate => self.crate_ghash(aad, ciphertext, bits),
            #[cfg(target_arch = "x86_64")]
            Backend::Clmul(cpu) => cpu.ghash(&self.powers, aad, ciphertext, bits),
        }
    }

    fn crate_ghash(&self, aad: &[u8], ciphertext: &[u8], [a, c]: [u64; 2]) -> [u8; BLOCK_LEN] {
        let [h, ..] = self.powers;
        let mut h = h.to_be_bytes();
        let mut ghash = GHash::new(&h.into());
        h.zeroize();
        ghash.update_padded(aad);
        ghash.update_padded(ciphertext);
        let lengths = ((u128::from(a) << 64) | u128::from(c)).to_be_bytes();
        ghash.update(&[lengths.into()]);
        ghash.finalize().into()
    }
}

impl Drop for HashKey {
    fn drop(&mut self) {
        self.powers.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for HashKey {}

#[cfg(test)]
mod tests {
    use ghash::GHash;
    use ghash::universal_hash::UniversalHash;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{Rng, SeedableRng};

    use super::{Backend, HashKey};

    /// GHASH as SP 800-38D §7.1 step 5 defines it, by the `ghash` crate.
    fn reference(h: [u8; 16], aad: &[u8], ciphertext: &[u8]) -> [u8; 16] {
        let mut ghash = GHash::new(&h.into());
        ghash.update_padded(aad);
        ghash.update_padded(ciphertext);
        let mut lengths = [0; 16];
        lengths[..8].copy_from_slice(&(aad.len() as u64 * 8).to_be_bytes());
        lengths[8..].copy_from_slice(&(ciphertext.len() as u64 * 8).to_be_bytes());
        ghash.update(&[lengths.into()]);
        ghash.finalize().into()
    }

    fn random_vec(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
        let mut bytes = vec![0; len];
        rng.fill_bytes(&mut bytes);
        bytes
    }

    /// Every length 0..=300 of ciphertext and of associated data, and some of several KiB,
    /// each under a fresh random H, on every backend.
    #[test]
    fn sp800_38d_6_4_ghash_matches_the_ghash_crate_on_every_backend_and_length() {
        let mut rng = ChaCha20Rng::seed_from_u64(0x4748_4153);
        let long = [1024, 4096 + 7, 8192 + 64, 16_384 + 15];
        for backend in Backend::available() {
            for len in (0..=300).chain(long) {
                let mut h = [0; 16];
                rng.fill_bytes(&mut h);
                let key = HashKey::new(&h, backend);
                let data = random_vec(&mut rng, len);
                let other = random_vec(&mut rng, len % 37);
                for (aad, ciphertext) in [(&data, &other), (&other, &data)] {
                    assert_eq!(
                        key.ghash(aad, ciphertext),
                        reference(h, aad, ciphertext),
                        "{backend:?}, lengths {} and {}",
                        aad.len(),
                        ciphertext.len()
                    );
                }
            }
        }
    }

    /// H with its top or bottom bit set (the carry of H·x, the reduction of H²) and the
    /// all-ones and zero blocks, on every backend.
    #[test]
    fn ghash_matches_the_ghash_crate_for_edge_hash_keys() {
        let message: Vec<u8> = (0..=255).collect();
        let edges = [[0; 16], [0xff; 16], [0x80; 16], [0x01; 16], {
            let mut h = [0; 16];
            h[15] = 1;
            h
        }];
        for backend in Backend::available() {
            for h in edges {
                let key = HashKey::new(&h, backend);
                for split in [0, 1, 16, 63, 64, 65, 200] {
                    let (aad, ciphertext) = message.split_at(split);
                    assert_eq!(
                        key.ghash(aad, ciphertext),
                        reference(h, aad, ciphertext),
                        "{backend:?}, H {h:02x?}, split {split}"
                    );
                }
            }
        }
    }

    /// Under H = 0 every GHASH is zero; a changed byte changes it under a nonzero H.
    #[test]
    fn ghash_is_zero_under_a_zero_key_and_changes_with_every_byte_otherwise() {
        let message = [0x5a_u8; 70];
        for backend in Backend::available() {
            assert_eq!(
                HashKey::new(&[0; 16], backend).ghash(b"ad", &message),
                [0; 16]
            );
            let key = HashKey::new(&[0x42; 16], backend);
            let base = key.ghash(b"ad", &message);
            for i in 0..message.len() {
                let mut changed = message;
                changed[i] ^= 0x01;
                assert_ne!(key.ghash(b"ad", &changed), base, "{backend:?}, byte {i}");
            }
            assert_ne!(key.ghash(b"ae", &message), base, "{backend:?}");
            assert_ne!(key.ghash(b"ad", &message[..69]), base, "{backend:?}");
        }
    }
}
