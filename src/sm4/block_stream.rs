//! The buffering behind streaming ECB and CBC: whole blocks are processed as they arrive; a
//! partial block waits for the next call, and when decrypting so does the last whole block,
//! because it may hold the padding.

use zeroize::Zeroizing;

use super::{BLOCK_LEN, Error, Padding, padding};

/// A block mode in one direction, with its chaining state: processes whole blocks in place,
/// continuing from the blocks of the previous call.
pub(super) trait BlockMode {
    fn process(&mut self, blocks: &mut [[u8; BLOCK_LEN]]);
}

/// Bytes carried between calls: at most one block, wiped on drop.
struct Pending {
    block: Zeroizing<[u8; BLOCK_LEN]>,
    len: usize,
}

impl Pending {
    fn new() -> Self {
        Self {
            block: Zeroizing::new([0; BLOCK_LEN]),
            len: 0,
        }
    }

    /// Moves bytes from the front of `input` until the block is full; returns the rest.
    fn fill<'a>(&mut self, input: &'a [u8]) -> &'a [u8] {
        let (head, rest) = input.split_at(input.len().min(BLOCK_LEN - self.len));
        let (_, free) = self.block.split_at_mut(self.len);
        free.iter_mut()
            .zip(head)
            .for_each(|(slot, byte)| *slot = *byte);
        self.len += head.len();
        rest
    }

    fn is_full(&self) -> bool {
        self.len == BLOCK_LEN
    }
}

/// Appends `bytes` to `output` and runs `process` over the appended blocks in place.
fn append_blocks(output: &mut Vec<u8>, bytes: &[u8], mode: &mut impl BlockMode) {
    let start = output.len();
    output.extend_from_slice(bytes);
    let (_, fresh) = output.split_at_mut(start);
    let (blocks, _) = fresh.as_chunks_mut::<BLOCK_LEN>();
    mode.process(blocks);
}

/// Streaming encryption: plaintext in, ciphertext out.
pub(super) struct Encrypting<M> {
    mode: M,
    padding: Padding,
    pending: Pending,
    total_len: usize,
}

impl<M: BlockMode> Encrypting<M> {
    pub(super) fn new(mode: M, padding: Padding) -> Self {
        Self {
            mode,
            padding,
            pending: Pending::new(),
            total_len: 0,
        }
    }

    pub(super) fn update(&mut self, input: &[u8], output: &mut Vec<u8>) {
        self.total_len = self.total_len.saturating_add(input.len());
        let input = self.pending.fill(input);
        if self.pending.is_full() {
            append_blocks(output, &*self.pending.block, &mut self.mode);
            self.pending.len = 0;
        }
        let (whole, rest) = input.split_at(input.len() - input.len() % BLOCK_LEN);
        append_blocks(output, whole, &mut self.mode);
        self.pending.fill(rest);
    }

    pub(super) fn finish(mut self, output: &mut Vec<u8>) -> Result<(), Error> {
        match self.padding {
            Padding::None if self.pending.len == 0 => Ok(()),
            Padding::None => Err(Error::PlaintextNotBlockAligned {
                len: self.total_len,
            }),
            Padding::Pkcs7 => {
                padding::pkcs7_fill(&mut self.pending.block, self.pending.len);
                append_blocks(output, &*self.pending.block, &mut self.mode);
                Ok(())
            }
        }
    }
}

/// Streaming decryption: ciphertext in, plaintext out, padding checked at the end.
pub(super) struct Decrypting<M> {
    mode: M,
    padding: Padding,
    pending: Pending,
    total_len: usize,
}

impl<M: BlockMode> Decrypting<M> {
    pub(super) fn new(mode: M, padding: Padding) -> Self {
        Self {
            mode,
            padding,
            pending: Pending::new(),
            total_len: 0,
        }
    }

    pub(super) fn update(&mut self, input: &[u8], output: &mut Vec<u8>) {
        self.total_len = self.total_len.saturating_add(input.len());
        let input = self.pending.fill(input);
        if input.is_empty() {
            // Everything fitted in the pending block, which may be the last one.
            return;
        }
        // More input follows, so the pending block is not the last: release it.
        append_blocks(output, &*self.pending.block, &mut self.mode);
        self.pending.len = 0;
        // Keep back the final partial block, or the final whole block if there is none.
        let keep = match input.len() % BLOCK_LEN {
            0 => BLOCK_LEN,
            partial => partial,
        };
        let (whole, rest) = input.split_at(input.len() - keep);
        append_blocks(output, whole, &mut self.mode);
        self.pending.fill(rest);
    }

    pub(super) fn finish(mut self, output: &mut Vec<u8>) -> Result<(), Error> {
        if !self.total_len.is_multiple_of(BLOCK_LEN) {
            return Err(Error::CiphertextNotBlockAligned {
                len: self.total_len,
            });
        }
        if self.pending.len == 0 {
            // No ciphertext at all.
            return self.padding.unpadded_len(&[]).map(|_| ());
        }
        self.mode
            .process(core::slice::from_mut(&mut *self.pending.block));
        let len = self.padding.unpadded_len(&*self.pending.block)?;
        let (message, _) = self.pending.block.split_at(len);
        output.extend_from_slice(message);
        Ok(())
    }
}
