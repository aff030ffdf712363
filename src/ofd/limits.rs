//! Bounds on what reading an OFD package may cost: a zip is attacker-supplied input, and a
//! few hundred bytes of it can claim gigabytes (a zip bomb) or many thousands of entries.

/// The bounds [`Package::from_bytes_with_limits`](super::Package::from_bytes_with_limits)
/// enforces; each one passed gives its own [`OfdError`](super::OfdError) variant naming it.
///
/// The defaults are far above what real OFD documents need: the e-invoices and signed
/// documents in `test-vectors/seals/` have at most 28 entries, 452 KB uncompressed, 244 KB in
/// their largest entry (a font) and a compression ratio of at most 25.
///
/// ```
/// use smtrust::ofd::Limits;
///
/// let strict = Limits::default().max_entries(100).max_total_size(16 << 20);
/// assert_eq!(strict.entries(), 100);
/// assert_eq!(strict.ratio(), Limits::default().ratio());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    entries: usize,
    entry_size: u64,
    total_size: u64,
    ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            entries: 10_000,
            entry_size: 64 << 20,
            total_size: 256 << 20,
            ratio: 100,
        }
    }
}

/// Entries smaller than this (uncompressed) are not held to [`Limits::max_ratio`]: tiny XML
/// parts legitimately compress by large factors, and their size is bounded anyway.
pub const RATIO_CHECK_FLOOR: u64 = 1 << 20;

impl Limits {
    /// The most entries (files and directories) the central directory may list; default
    /// 10,000.
    pub fn max_entries(mut self, entries: usize) -> Self {
        self.entries = entries;
        self
    }

    /// The largest uncompressed entry, in bytes; default 64 MiB.
    pub fn max_entry_size(mut self, bytes: u64) -> Self {
        self.entry_size = bytes;
        self
    }

    /// The most uncompressed bytes of all entries together; default 256 MiB.
    pub fn max_total_size(mut self, bytes: u64) -> Self {
        self.total_size = bytes;
        self
    }

    /// The largest uncompressed/compressed size ratio of an entry of at least
    /// [`RATIO_CHECK_FLOOR`] bytes; default 100 (deflate reaches about 1,000 on zeros).
    pub fn max_ratio(mut self, ratio: u64) -> Self {
        self.ratio = ratio;
        self
    }

    /// The entry-count limit.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// The entry-size limit in bytes.
    pub fn entry_size(&self) -> u64 {
        self.entry_size
    }

    /// The total-size limit in bytes.
    pub fn total_size(&self) -> u64 {
        self.total_size
    }

    /// The compression-ratio limit.
    pub fn ratio(&self) -> u64 {
        self.ratio
    }
}
