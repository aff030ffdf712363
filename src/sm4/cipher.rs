//! The SM4 block cipher the modes run on: round keys plus the fastest core the CPU has.
//!
//! The modes hand it whole runs of blocks ([`Cipher::encrypt_blocks`]), which it cuts into
//! the widest batches its core takes, so the parallel modes (ECB, CTR, GCM, CCM's CTR, CBC
//! and CFB decryption) keep the wide kernel busy; the serial modes (CBC and CFB encryption,
//! OFB, CCM's CBC-MAC) call the low-latency one-block path.

use zeroize::Zeroize;

use super::round::{self, RoundKeys};
#[cfg(target_arch = "x86_64")]
use super::x86::{AesNi, Vaes};
#[cfg(target_arch = "x86_64")]
use super::x86_gfni::{GfniAvx2, GfniAvx512};
use super::{BLOCK_LEN, KEY_LEN, portable};

/// Which implementation enciphers. The SIMD variants hold a token that exists only on a CPU
/// with the features they need.
///
/// 16 bytes wide, so that [`Cipher`] has no padding (see `Cipher::UNPADDED_SIZE`) and is a
/// whole number of 16-byte units, which leaves none in `Key` after its 16-byte-aligned GHASH
/// state either.
#[derive(Clone, Copy, Debug)]
#[repr(u128)]
pub(super) enum Core {
    /// The constant-time bit-plane circuit, on any target.
    Portable,
    /// AES-NI and SSSE3 on 128-bit registers.
    #[cfg(target_arch = "x86_64")]
    AesNi(AesNi),
    /// VAES and AVX2 on 256-bit registers.
    #[cfg(target_arch = "x86_64")]
    Vaes(Vaes),
    /// GFNI and AVX2 on 256-bit registers.
    #[cfg(target_arch = "x86_64")]
    GfniAvx2(GfniAvx2),
    /// GFNI and AVX-512 on 512-bit registers.
    #[cfg(target_arch = "x86_64")]
    GfniAvx512(GfniAvx512),
}

impl Core {
    /// The fastest core this CPU runs.
    pub(super) fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(cpu) = GfniAvx512::detect() {
                return Self::GfniAvx512(cpu);
            }
            if let Some(cpu) = GfniAvx2::detect() {
                return Self::GfniAvx2(cpu);
            }
            if let Some(cpu) = Vaes::detect() {
                return Self::Vaes(cpu);
            }
            if let Some(cpu) = AesNi::detect() {
                return Self::AesNi(cpu);
            }
        }
        Self::Portable
    }

    /// The core's name, in test messages and in `SMTRUST_TEST_CORES`.
    #[cfg(test)]
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Portable => "portable",
            #[cfg(target_arch = "x86_64")]
            Self::AesNi(_) => "aes-ni",
            #[cfg(target_arch = "x86_64")]
            Self::Vaes(_) => "vaes",
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx2(_) => "gfni-avx2",
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx512(_) => "gfni-avx512",
        }
    }

    /// Every core this CPU runs, slowest first (for tests that force each one).
    ///
    /// `SMTRUST_TEST_CORES`, a comma-separated list of core names, narrows the list to those
    /// cores and makes a missing one a failure: the emulated CI run
    /// (`.ci/gfni-under-bochs`) tests the GFNI cores alone, and must not pass by skipping.
    #[cfg(test)]
    pub(super) fn available() -> Vec<Self> {
        #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
        let mut cores = vec![Self::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            cores.extend(AesNi::detect().map(Self::AesNi));
            cores.extend(Vaes::detect().map(Self::Vaes));
            cores.extend(GfniAvx2::detect().map(Self::GfniAvx2));
            cores.extend(GfniAvx512::detect().map(Self::GfniAvx512));
        }
        let Some(names) = std::env::var_os("SMTRUST_TEST_CORES") else {
            return cores;
        };
        names
            .to_string_lossy()
            .split(',')
            .map(|name| {
                let core = cores.iter().find(|core| core.name() == name);
                *core.unwrap_or_else(|| panic!("SMTRUST_TEST_CORES: this CPU has no {name} core"))
            })
            .collect()
    }

    /// The S-box on the four bytes of a word.
    fn tau(self, word: u32) -> u32 {
        match self {
            Self::Portable => portable::tau(word),
            #[cfg(target_arch = "x86_64")]
            Self::AesNi(cpu) => cpu.tau(word),
            #[cfg(target_arch = "x86_64")]
            Self::Vaes(cpu) => cpu.aesni().tau(word),
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx2(cpu) => cpu.tau(word),
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx512(cpu) => cpu.avx2().tau(word),
        }
    }

    /// The round keys in the form the core's kernels take.
    fn kernel_keys(self, rk: RoundKeys) -> RoundKeys {
        match self {
            Self::Portable => rk,
            #[cfg(target_arch = "x86_64")]
            Self::AesNi(cpu) => cpu.kernel_keys(&rk),
            #[cfg(target_arch = "x86_64")]
            Self::Vaes(cpu) => cpu.aesni().kernel_keys(&rk),
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx2(_) | Self::GfniAvx512(_) => rk,
        }
    }

    /// One block, with the least latency the core has.
    fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; BLOCK_LEN]) {
        match self {
            Self::Portable => portable::crypt_block(rk, block),
            #[cfg(target_arch = "x86_64")]
            Self::AesNi(cpu) => cpu.crypt_block(rk, block),
            #[cfg(target_arch = "x86_64")]
            Self::Vaes(cpu) => cpu.aesni().crypt_block(rk, block),
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx2(cpu) => cpu.crypt_block(rk, block),
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx512(cpu) => cpu.avx2().crypt_block(rk, block),
        }
    }

    /// Any number of blocks in place: full batches of the widest kernel, then the tail in the
    /// narrowest kernel that holds it.
    fn crypt_blocks(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]]) {
        match self {
            Self::Portable => match in_batches(blocks, |b| portable::crypt_par(rk, b)) {
                [] => {}
                [block] => portable::crypt_block(rk, block),
                tail => through_buffer(tail, |b| portable::crypt_par(rk, b)),
            },
            #[cfg(target_arch = "x86_64")]
            Self::AesNi(cpu) => {
                let tail = in_batches(blocks, |b| cpu.crypt8(rk, b));
                crypt_tail(cpu, rk, tail, |b| cpu.crypt8(rk, b));
            }
            #[cfg(target_arch = "x86_64")]
            Self::Vaes(cpu) => {
                let tail = in_batches(blocks, |b| cpu.crypt32(rk, b));
                let tail = in_batches(tail, |b| cpu.crypt16(rk, b));
                let tail = in_batches(tail, |b| cpu.crypt8(rk, b));
                crypt_tail(cpu.aesni(), rk, tail, |b| cpu.crypt8(rk, b));
            }
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx2(cpu) => {
                let tail = in_batches(blocks, |b| cpu.crypt32(rk, b));
                let tail = in_batches(tail, |b| cpu.crypt16(rk, b));
                gfni_tail(cpu, rk, tail);
            }
            #[cfg(target_arch = "x86_64")]
            Self::GfniAvx512(cpu) => {
                let tail = in_batches(blocks, |b| cpu.crypt64(rk, b));
                let tail = in_batches(tail, |b| cpu.crypt32(rk, b));
                let tail = in_batches(tail, |b| cpu.crypt16(rk, b));
                gfni_tail(cpu.avx2(), rk, tail);
            }
        }
    }
}

/// Runs `kernel` on every whole batch of `N` blocks at the front of `blocks` and returns
/// the fewer than `N` left.
fn in_batches<const N: usize>(
    blocks: &mut [[u8; BLOCK_LEN]],
    kernel: impl FnMut(&mut [[u8; BLOCK_LEN]; N]),
) -> &mut [[u8; BLOCK_LEN]] {
    let (batches, tail) = blocks.as_chunks_mut::<N>();
    batches.iter_mut().for_each(kernel);
    tail
}

/// Fewer than 16 blocks on a GFNI core: 8 in place, then one block, or the rest through a
/// buffer with the 8-block kernel.
#[cfg(target_arch = "x86_64")]
fn gfni_tail(cpu: GfniAvx2, rk: &RoundKeys, tail: &mut [[u8; BLOCK_LEN]]) {
    match in_batches(tail, |b| cpu.crypt8(rk, b)) {
        [] => {}
        [block] => cpu.crypt_block(rk, block),
        rest => through_buffer(rest, |b| cpu.crypt8(rk, b)),
    }
}

/// Fewer than 8 blocks on an x86 core: one block, 4 in place, or through a buffer with the
/// 4-block kernel or `crypt8`.
#[cfg(target_arch = "x86_64")]
fn crypt_tail(
    cpu: AesNi,
    rk: &RoundKeys,
    tail: &mut [[u8; BLOCK_LEN]],
    crypt8: impl FnOnce(&mut [[u8; BLOCK_LEN]; 8]),
) {
    if let [block] = tail {
        cpu.crypt_block(rk, block);
    } else if let Ok(four) = <&mut [[u8; BLOCK_LEN]; 4]>::try_from(&mut *tail) {
        cpu.crypt4(rk, four);
    } else if tail.len() > 4 {
        through_buffer(tail, crypt8);
    } else if !tail.is_empty() {
        through_buffer(tail, |b| cpu.crypt4(rk, b));
    }
}

/// Runs `kernel` on a copy of fewer than `N` blocks (the rest zero) and writes them back.
fn through_buffer<const N: usize>(
    blocks: &mut [[u8; BLOCK_LEN]],
    kernel: impl FnOnce(&mut [[u8; BLOCK_LEN]; N]),
) {
    let mut buffer = [[0; BLOCK_LEN]; N];
    for (slot, block) in buffer.iter_mut().zip(blocks.iter()) {
        *slot = *block;
    }
    kernel(&mut buffer);
    for (block, slot) in blocks.iter_mut().zip(&buffer) {
        *block = *slot;
    }
    buffer.zeroize();
}

/// SM4 with expanded round keys for both directions, in the form its core takes; they are
/// wiped on drop.
pub(super) struct Cipher {
    encrypt: RoundKeys,
    decrypt: RoundKeys,
    core: Core,
}

impl Cipher {
    /// The size of the fields alone; `Key` asserts that `Cipher` is no larger, so that no
    /// padding byte (which no drop wipes) can keep a copy of a round key.
    pub(super) const UNPADDED_SIZE: usize = 2 * size_of::<RoundKeys>() + size_of::<Core>();

    /// Expands `key` (GB/T 32907-2016 §7.3) with the S-box of `core`, which then enciphers.
    pub(super) fn new(key: &[u8; KEY_LEN], core: Core) -> Self {
        let mut standard = round::expand(key, |word| core.tau(word));
        let encrypt = core.kernel_keys(standard);
        standard.zeroize();
        let mut decrypt = encrypt;
        // Decryption is encryption with the round keys reversed (§7.2).
        decrypt.reverse();
        Self {
            encrypt,
            decrypt,
            core,
        }
    }

    pub(super) fn encrypt_block(&self, block: &mut [u8; BLOCK_LEN]) {
        self.core.crypt_block(&self.encrypt, block);
    }

    pub(super) fn decrypt_block(&self, block: &mut [u8; BLOCK_LEN]) {
        self.core.crypt_block(&self.decrypt, block);
    }

    /// Encrypts every block of `blocks` in place, in the core's widest batches.
    pub(super) fn encrypt_blocks(&self, blocks: &mut [[u8; BLOCK_LEN]]) {
        self.core.crypt_blocks(&self.encrypt, blocks);
    }

    /// Decrypts every block of `blocks` in place, in the core's widest batches.
    pub(super) fn decrypt_blocks(&self, blocks: &mut [[u8; BLOCK_LEN]]) {
        self.core.crypt_blocks(&self.decrypt, blocks);
    }
}

impl Drop for Cipher {
    fn drop(&mut self) {
        self.encrypt.zeroize();
        self.decrypt.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Cipher {}
