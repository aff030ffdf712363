//! The SM4 block cipher the modes run on: round keys plus the fastest core the CPU has, behind
//! the RustCrypto `cipher` traits so that the mode crates hand it many blocks at once.
//!
//! Each core is a backend with its own parallel width (`ParBlocksSize`): the mode crates
//! (`ctr`, `cbc` decryption, `cfb-mode` decryption, `ecb`, `aes-gcm`, `ccm`) call it with
//! that many blocks at a time and with the shorter tail, while the serial modes (CBC and CFB
//! encryption, OFB, the CBC-MAC of CCM) call it one block at a time and get the low-latency
//! one-block path.

use cipher::{
    Array, Block, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherDecrypt,
    BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, InOut,
    InOutBuf, ParBlocks, ParBlocksSizeUser,
    consts::{U8, U16},
};
use zeroize::Zeroize;

use super::round::{self, RoundKeys};
#[cfg(target_arch = "x86_64")]
use super::x86::{AesNi, Vaes};
use super::{BLOCK_LEN, KEY_LEN, portable};

/// Which implementation enciphers. The SIMD variants hold a token that exists only on a CPU
/// with the features they need.
#[derive(Clone, Copy, Debug)]
pub(super) enum Core {
    /// The constant-time bit-plane circuit, on any target.
    Portable,
    /// AES-NI and SSSE3 on 128-bit registers.
    #[cfg(target_arch = "x86_64")]
    AesNi(AesNi),
    /// VAES and AVX2 on 256-bit registers.
    #[cfg(target_arch = "x86_64")]
    Vaes(Vaes),
}

impl Core {
    /// The fastest core this CPU runs.
    pub(super) fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(cpu) = Vaes::detect() {
                return Self::Vaes(cpu);
            }
            if let Some(cpu) = AesNi::detect() {
                return Self::AesNi(cpu);
            }
        }
        Self::Portable
    }

    /// Every core this CPU runs, slowest first (for tests that force each one).
    #[cfg(test)]
    pub(super) fn available() -> Vec<Self> {
        #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
        let mut cores = vec![Self::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            cores.extend(AesNi::detect().map(Self::AesNi));
            cores.extend(Vaes::detect().map(Self::Vaes));
        }
        cores
    }

    /// The S-box on the four bytes of a word.
    fn tau(self, word: u32) -> u32 {
        match self {
            Self::Portable => portable::tau(word),
            #[cfg(target_arch = "x86_64")]
            Self::AesNi(cpu) => cpu.tau(word),
            #[cfg(target_arch = "x86_64")]
            Self::Vaes(cpu) => cpu.aesni().tau(word),
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
        }
    }
}

/// SM4 with expanded round keys for both directions; they are wiped on drop.
pub(super) struct Cipher {
    encrypt: RoundKeys,
    decrypt: RoundKeys,
    core: Core,
}

impl Cipher {
    /// Expands `key` (GB/T 32907-2016 §7.3) with the S-box of `core`, which then enciphers.
    pub(super) fn new(key: &[u8; KEY_LEN], core: Core) -> Self {
        let encrypt = round::expand(key, |word| core.tau(word));
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

    /// Hands `f` the backend of this key's core with round keys `rk`.
    fn with_backend(&self, rk: &RoundKeys, f: impl BackendUser) {
        match self.core {
            Core::Portable => f.run(&PortableBackend(rk)),
            #[cfg(target_arch = "x86_64")]
            Core::AesNi(cpu) => f.run(&AesNiBackend { rk, cpu }),
            #[cfg(target_arch = "x86_64")]
            Core::Vaes(cpu) => f.run(&VaesBackend { rk, cpu }),
        }
    }
}

impl Drop for Cipher {
    fn drop(&mut self) {
        self.encrypt.zeroize();
        self.decrypt.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Cipher {}

impl BlockSizeUser for Cipher {
    type BlockSize = U16;
}

impl BlockCipherEncrypt for Cipher {
    fn encrypt_with_backend(&self, f: impl BlockCipherEncClosure<BlockSize = U16>) {
        self.with_backend(&self.encrypt, Encrypting(f));
    }
}

impl BlockCipherDecrypt for Cipher {
    fn decrypt_with_backend(&self, f: impl BlockCipherDecClosure<BlockSize = U16>) {
        self.with_backend(&self.decrypt, Decrypting(f));
    }
}

/// Something to run on a backend; lets one `match` serve both directions.
trait BackendUser {
    fn run<B: Backend>(self, backend: &B);
}

struct Encrypting<F>(F);
struct Decrypting<F>(F);

impl<F: BlockCipherEncClosure<BlockSize = U16>> BackendUser for Encrypting<F> {
    fn run<B: Backend>(self, backend: &B) {
        self.0.call(backend);
    }
}

impl<F: BlockCipherDecClosure<BlockSize = U16>> BackendUser for Decrypting<F> {
    fn run<B: Backend>(self, backend: &B) {
        self.0.call(backend);
    }
}

/// A core with round keys for one direction: one block, a full batch, or a shorter tail.
trait Backend: BlockCipherEncBackend<BlockSize = U16> + BlockCipherDecBackend<BlockSize = U16> {}

/// Runs `kernel` on a copy of up to `N` blocks (the rest zero) and writes the results back.
fn through_buffer<const N: usize>(
    mut blocks: InOutBuf<'_, '_, Block<Cipher>>,
    kernel: impl FnOnce(&mut [[u8; BLOCK_LEN]; N]),
) {
    let mut buffer = [[0; BLOCK_LEN]; N];
    for (slot, block) in buffer.iter_mut().zip(blocks.get_in()) {
        *slot = (*block).into();
    }
    kernel(&mut buffer);
    for (block, slot) in blocks.get_out().iter_mut().zip(&buffer) {
        *block = Array::from(*slot);
    }
    buffer.zeroize();
}

/// Runs the one-block `kernel` on `block`.
fn one_block(mut block: InOut<'_, '_, Block<Cipher>>, kernel: impl FnOnce(&mut [u8; BLOCK_LEN])) {
    let mut buffer: [u8; BLOCK_LEN] = (*block.get_in()).into();
    kernel(&mut buffer);
    *block.get_out() = Array::from(buffer);
    buffer.zeroize();
}

/// Implements both backend traits with the same three functions: `block`, `par` and `tail`.
macro_rules! backend {
    ($name:ident) => {
        impl BlockSizeUser for $name<'_> {
            type BlockSize = U16;
        }

        impl BlockCipherEncBackend for $name<'_> {
            fn encrypt_block(&self, block: InOut<'_, '_, Block<Self>>) {
                self.block(block);
            }

            fn encrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
                self.tail(blocks.into_buf());
            }

            fn encrypt_tail_blocks(&self, blocks: InOutBuf<'_, '_, Block<Self>>) {
                self.tail(blocks);
            }
        }

        impl BlockCipherDecBackend for $name<'_> {
            fn decrypt_block(&self, block: InOut<'_, '_, Block<Self>>) {
                self.block(block);
            }

            fn decrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
                self.tail(blocks.into_buf());
            }

            fn decrypt_tail_blocks(&self, blocks: InOutBuf<'_, '_, Block<Self>>) {
                self.tail(blocks);
            }
        }

        impl Backend for $name<'_> {}
    };
}

/// The portable core: 16 blocks a batch.
struct PortableBackend<'k>(&'k RoundKeys);

impl ParBlocksSizeUser for PortableBackend<'_> {
    type ParBlocksSize = U16;
}

impl PortableBackend<'_> {
    fn block(&self, block: InOut<'_, '_, Block<Cipher>>) {
        one_block(block, |b| portable::crypt_block(self.0, b));
    }

    /// Up to 16 blocks; one block takes the one-block circuit, more share a batch.
    fn tail(&self, mut blocks: InOutBuf<'_, '_, Block<Cipher>>) {
        match blocks.len() {
            0 => {}
            1 => self.block(blocks.get(0)),
            _ => through_buffer(blocks, |b| portable::crypt_par(self.0, b)),
        }
    }
}

backend!(PortableBackend);

/// The AES-NI core: 8 blocks a batch.
#[cfg(target_arch = "x86_64")]
struct AesNiBackend<'k> {
    rk: &'k RoundKeys,
    cpu: AesNi,
}

#[cfg(target_arch = "x86_64")]
impl ParBlocksSizeUser for AesNiBackend<'_> {
    type ParBlocksSize = U8;
}

#[cfg(target_arch = "x86_64")]
impl AesNiBackend<'_> {
    fn block(&self, block: InOut<'_, '_, Block<Cipher>>) {
        one_block(block, |b| self.cpu.crypt_block(self.rk, b));
    }

    /// Up to 8 blocks, in the narrowest kernel that holds them.
    fn tail(&self, mut blocks: InOutBuf<'_, '_, Block<Cipher>>) {
        match blocks.len() {
            0 => {}
            1 => self.block(blocks.get(0)),
            2..=4 => through_buffer(blocks, |b| self.cpu.crypt4(self.rk, b)),
            _ => through_buffer(blocks, |b| self.cpu.crypt8(self.rk, b)),
        }
    }
}

#[cfg(target_arch = "x86_64")]
backend!(AesNiBackend);

/// The VAES core: 16 blocks a batch.
#[cfg(target_arch = "x86_64")]
struct VaesBackend<'k> {
    rk: &'k RoundKeys,
    cpu: Vaes,
}

#[cfg(target_arch = "x86_64")]
impl ParBlocksSizeUser for VaesBackend<'_> {
    type ParBlocksSize = U16;
}

#[cfg(target_arch = "x86_64")]
impl VaesBackend<'_> {
    fn block(&self, block: InOut<'_, '_, Block<Cipher>>) {
        one_block(block, |b| self.cpu.aesni().crypt_block(self.rk, b));
    }

    /// Up to 16 blocks, in the narrowest kernel that holds them.
    fn tail(&self, mut blocks: InOutBuf<'_, '_, Block<Cipher>>) {
        match blocks.len() {
            0 => {}
            1 => self.block(blocks.get(0)),
            2..=4 => through_buffer(blocks, |b| self.cpu.aesni().crypt4(self.rk, b)),
            5..=8 => through_buffer(blocks, |b| self.cpu.crypt8(self.rk, b)),
            _ => through_buffer(blocks, |b| self.cpu.crypt16(self.rk, b)),
        }
    }
}

#[cfg(target_arch = "x86_64")]
backend!(VaesBackend);
