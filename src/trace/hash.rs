//! The 32-byte tree hash and the hash algorithms a tree can be built with
//! (RFC 9162 §2.1.1).

use sha2::Digest as _;

use super::Error;

/// Length in bytes of every tree hash.
pub const HASH_LEN: usize = 32;

/// A Merkle tree hash: a leaf hash, an interior node hash or a tree root.
///
/// Hashes in a Merkle log are public values, so they compare with `==` and print as lowercase
/// hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash([u8; HASH_LEN]);

impl Hash {
    /// Wraps 32 bytes as a tree hash.
    pub const fn new(bytes: [u8; HASH_LEN]) -> Self {
        Self(bytes)
    }

    /// Reads a tree hash from a slice that must be exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        <[u8; HASH_LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| Error::HashWrongLength { got: bytes.len() })
    }

    /// The hash's bytes.
    pub const fn as_bytes(&self) -> &[u8; HASH_LEN] {
        &self.0
    }
}

impl From<[u8; HASH_LEN]> for Hash {
    fn from(bytes: [u8; HASH_LEN]) -> Self {
        Self(bytes)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Display for Hash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl core::fmt::Debug for Hash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Hash({self})")
    }
}

/// The hash algorithm a Merkle tree is built with.
///
/// RFC 9162 §2.1.1 leaves the algorithm open; the tree is defined by three rules that every
/// value here follows:
///
/// - the empty tree hashes to `HASH()`, the digest of no input;
/// - a leaf holding `entry` hashes to `HASH(0x00 ‖ entry)`;
/// - an interior node hashes to `HASH(0x01 ‖ left ‖ right)`.
///
/// The two algorithms are the values [`SM3`] (this crate's default, GB/T 32905) and
/// [`SHA256`] (the algorithm of Certificate Transparency, RFC 6962 / RFC 9162). A tree is bound
/// to one of them for its whole life: every function that hashes takes the algorithm
/// explicitly, so it is never guessed.
pub struct TreeHash {
    name: &'static str,
    digest: fn(&[&[u8]]) -> [u8; HASH_LEN],
}

/// Merkle tree hashing with SM3 (GB/T 32905-2016): the ledger's default.
pub static SM3: TreeHash = TreeHash {
    name: "SM3",
    digest: sm3_digest,
};

/// Merkle tree hashing with SHA-256, as in Certificate Transparency (RFC 6962, RFC 9162).
pub static SHA256: TreeHash = TreeHash {
    name: "SHA-256",
    digest: sha256_digest,
};

/// Domain-separation prefix of a leaf hash (RFC 9162 §2.1.1).
const LEAF_PREFIX: u8 = 0x00;

/// Domain-separation prefix of an interior node hash (RFC 9162 §2.1.1).
const NODE_PREFIX: u8 = 0x01;

impl TreeHash {
    /// The algorithm's name, `"SM3"` or `"SHA-256"`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The root of the empty tree, `HASH()` (RFC 9162 §2.1.1).
    pub fn empty_root(&self) -> Hash {
        Hash((self.digest)(&[]))
    }

    /// The hash of a leaf holding `entry`, `HASH(0x00 ‖ entry)` (RFC 9162 §2.1.1).
    pub fn hash_leaf(&self, entry: &[u8]) -> Hash {
        Hash((self.digest)(&[&[LEAF_PREFIX], entry]))
    }

    /// The hash of an interior node, `HASH(0x01 ‖ left ‖ right)` (RFC 9162 §2.1.1).
    pub fn hash_children(&self, left: &Hash, right: &Hash) -> Hash {
        Hash((self.digest)(&[&[NODE_PREFIX], &left.0, &right.0]))
    }
}

impl PartialEq for TreeHash {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TreeHash {}

impl core::fmt::Debug for TreeHash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TreeHash").field(&self.name).finish()
    }
}

fn sm3_digest(parts: &[&[u8]]) -> [u8; HASH_LEN] {
    let mut hasher = crate::sm3::Hasher::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()
}

fn sha256_digest(parts: &[&[u8]]) -> [u8; HASH_LEN] {
    let mut hasher = sha2::Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GB/T 32905-2016 Appendix A example 1 digest of "abc" must not collide with the leaf
    /// hash of "abc": the 0x00 prefix separates them.
    #[test]
    fn sm3_leaf_hash_is_prefixed() {
        let leaf = SM3.hash_leaf(b"abc");
        assert_ne!(leaf.as_bytes(), &crate::sm3::hash(b"abc"));
        let mut prefixed = vec![0u8];
        prefixed.extend_from_slice(b"abc");
        assert_eq!(leaf.as_bytes(), &crate::sm3::hash(&prefixed));
    }

    /// RFC 9162 §2.1.1: node = HASH(0x01 ‖ left ‖ right), order matters.
    #[test]
    fn node_hash_is_prefixed_and_ordered() {
        let a = SM3.hash_leaf(b"a");
        let b = SM3.hash_leaf(b"b");
        let mut input = vec![1u8];
        input.extend_from_slice(a.as_bytes());
        input.extend_from_slice(b.as_bytes());
        assert_eq!(
            SM3.hash_children(&a, &b).as_bytes(),
            &crate::sm3::hash(&input)
        );
        assert_ne!(SM3.hash_children(&a, &b), SM3.hash_children(&b, &a));
    }

    /// The empty SM3 tree hashes to SM3 of no input (GB/T 32905, RFC 9162 §2.1.1).
    #[test]
    fn sm3_empty_root_is_digest_of_nothing() {
        assert_eq!(
            SM3.empty_root().to_string(),
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
        );
    }

    #[test]
    fn from_slice_rejects_wrong_length() {
        assert_eq!(
            Hash::from_slice(&[0u8; 31]),
            Err(Error::HashWrongLength { got: 31 })
        );
        assert_eq!(
            Hash::from_slice(&[0u8; 33]),
            Err(Error::HashWrongLength { got: 33 })
        );
        assert_eq!(Hash::from_slice(&[7u8; 32]), Ok(Hash::new([7u8; 32])));
    }

    #[test]
    fn algorithms_are_distinct_values() {
        assert_eq!(SM3, SM3);
        assert_ne!(SM3, SHA256);
        assert_eq!(format!("{SM3:?}"), "TreeHash(\"SM3\")");
        assert_eq!(SHA256.name(), "SHA-256");
    }

    #[test]
    fn debug_and_display_print_hex() {
        let h = Hash::new([0xab; 32]);
        assert_eq!(h.to_string(), "ab".repeat(32));
        assert_eq!(format!("{h:?}"), format!("Hash({})", "ab".repeat(32)));
    }
}
