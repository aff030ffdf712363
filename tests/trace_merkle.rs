//! The Merkle log of `smtrust::trace` (RFC 9162 §2.1).
//!
//! - SHA-256 mode against the published Certificate Transparency vectors
//!   (test-vectors/standard/ct-merkle-sha256.json, see its README for the source);
//! - both modes, SM3 and SHA-256, exhaustively against a naive recursive implementation of
//!   RFC 9162 §2.1 written below: every leaf of every tree size up to 100, every pair of sizes
//!   up to 100, each proof then mutated (one bit of each hash flipped, wrong index, wrong
//!   sizes, truncated, extended, wrong roots) with the exact error asserted;
//! - the number of stored hashes each computation reads is O(log n).

use std::cell::Cell;
use std::ops::Range;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::trace::{
    self, Error, Hash, HashReader, MAX_TREE_SIZE, MemoryHashes, SHA256, SM3, TreeHash,
};

// ---------------------------------------------------------------------------------------
// The naive reference: RFC 9162 §2.1 written as the recursive definitions.
// ---------------------------------------------------------------------------------------

/// The largest power of two smaller than `n` (RFC 9162 §2.1.1's k), for n > 1.
fn naive_k(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// MTH(D[n]) of RFC 9162 §2.1.1, over leaf hashes.
fn naive_mth(alg: &TreeHash, leaves: &[Hash]) -> Hash {
    match leaves {
        [] => alg.empty_root(),
        [leaf] => *leaf,
        _ => {
            let k = naive_k(leaves.len());
            alg.hash_children(&naive_mth(alg, &leaves[..k]), &naive_mth(alg, &leaves[k..]))
        }
    }
}

/// PATH(m, D[n]) of RFC 9162 §2.1.3.1.
fn naive_path(alg: &TreeHash, m: usize, leaves: &[Hash]) -> Vec<Hash> {
    if leaves.len() <= 1 {
        return Vec::new();
    }
    let k = naive_k(leaves.len());
    if m < k {
        let mut path = naive_path(alg, m, &leaves[..k]);
        path.push(naive_mth(alg, &leaves[k..]));
        path
    } else {
        let mut path = naive_path(alg, m - k, &leaves[k..]);
        path.push(naive_mth(alg, &leaves[..k]));
        path
    }
}

/// PROOF(m, D[n]) of RFC 9162 §2.1.4.1, each hash with the range of leaves it covers
/// (`offset` is the position of `leaves[0]` in the whole log).
fn naive_subproof(
    alg: &TreeHash,
    m: usize,
    leaves: &[Hash],
    offset: usize,
    b: bool,
) -> Vec<(Hash, Range<usize>)> {
    let n = leaves.len();
    if m == n {
        return if b {
            Vec::new()
        } else {
            vec![(naive_mth(alg, leaves), offset..offset + n)]
        };
    }
    let k = naive_k(n);
    if m <= k {
        let mut proof = naive_subproof(alg, m, &leaves[..k], offset, b);
        proof.push((naive_mth(alg, &leaves[k..]), offset + k..offset + n));
        proof
    } else {
        let mut proof = naive_subproof(alg, m - k, &leaves[k..], offset + k, false);
        proof.push((naive_mth(alg, &leaves[..k]), offset..offset + k));
        proof
    }
}

fn naive_consistency(alg: &TreeHash, m: usize, leaves: &[Hash]) -> Vec<(Hash, Range<usize>)> {
    if m == 0 || m == leaves.len() {
        return Vec::new();
    }
    naive_subproof(alg, m, leaves, 0, true)
}

/// The length of PATH(m, D[n]), from the recursion alone.
fn naive_path_len(m: u64, n: u64) -> usize {
    if n <= 1 {
        return 0;
    }
    let k = naive_k(n as usize) as u64;
    1 + if m < k {
        naive_path_len(m, k)
    } else {
        naive_path_len(m - k, n - k)
    }
}

/// Inverts PATH: the root that `leaf` and `path` lead to for leaf m of n, by the recursion.
fn naive_root_from_path(alg: &TreeHash, m: u64, n: u64, leaf: Hash, path: &[Hash]) -> Hash {
    let Some((last, rest)) = path.split_last() else {
        return leaf;
    };
    let k = naive_k(n as usize) as u64;
    if m < k {
        alg.hash_children(&naive_root_from_path(alg, m, k, leaf, rest), last)
    } else {
        alg.hash_children(last, &naive_root_from_path(alg, m - k, n - k, leaf, rest))
    }
}

/// An independent checker for inclusion proofs built on the recursive definition, giving the
/// errors the library must give.
fn naive_check_inclusion(
    alg: &TreeHash,
    proof: &[Hash],
    size: u64,
    index: u64,
    root: &Hash,
    leaf: &Hash,
) -> Result<(), Error> {
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let expected = naive_path_len(index, size);
    if proof.len() != expected {
        return Err(Error::ProofWrongLength {
            expected,
            got: proof.len(),
        });
    }
    let computed = naive_root_from_path(alg, index, size, *leaf, proof);
    if computed != *root {
        return Err(Error::InclusionRootMismatch {
            computed,
            expected: *root,
        });
    }
    Ok(())
}

/// The length of SUBPROOF(m, D[n], b), from the recursion alone.
fn naive_subproof_len(m: u64, n: u64, b: bool) -> usize {
    if m == n {
        return usize::from(!b);
    }
    let k = naive_k(n as usize) as u64;
    1 + if m <= k {
        naive_subproof_len(m, k, b)
    } else {
        naive_subproof_len(m - k, n - k, false)
    }
}

/// Inverts SUBPROOF: the (old, new) subtree hashes the proof leads to, by the recursion.
fn naive_roots_from_subproof(
    alg: &TreeHash,
    m: u64,
    n: u64,
    b: bool,
    old_root: Hash,
    proof: &[Hash],
) -> (Hash, Hash) {
    if m == n {
        return match (b, proof) {
            // Not b: the subtree's hash is the proof's first element.
            (false, [first]) => (*first, *first),
            // b: the subtree is the old tree, whose root the verifier knows.
            _ => (old_root, old_root),
        };
    }
    let (last, rest) = proof.split_last().expect("the length was checked");
    let k = naive_k(n as usize) as u64;
    if m <= k {
        let (old, new) = naive_roots_from_subproof(alg, m, k, b, old_root, rest);
        (old, alg.hash_children(&new, last))
    } else {
        let (old, new) = naive_roots_from_subproof(alg, m - k, n - k, false, old_root, rest);
        (alg.hash_children(last, &old), alg.hash_children(last, &new))
    }
}

/// An independent checker for consistency proofs built on the recursive definition, giving
/// the errors the library must give.
fn naive_check_consistency(
    alg: &TreeHash,
    proof: &[Hash],
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
) -> Result<(), Error> {
    if old > new {
        return Err(Error::SizesOutOfOrder {
            old_size: old,
            new_size: new,
        });
    }
    let expected = if old == 0 || old == new {
        0
    } else {
        naive_subproof_len(old, new, true)
    };
    if proof.len() != expected {
        return Err(Error::ProofWrongLength {
            expected,
            got: proof.len(),
        });
    }
    if old == 0 {
        return if *old_root == alg.empty_root() {
            Ok(())
        } else {
            Err(Error::ConsistencyOldRootMismatch {
                computed: alg.empty_root(),
                expected: *old_root,
            })
        };
    }
    if old == new {
        return if old_root == new_root {
            Ok(())
        } else {
            Err(Error::EqualSizeRootsDiffer {
                size: old,
                old_root: *old_root,
                new_root: *new_root,
            })
        };
    }
    let (old_computed, new_computed) =
        naive_roots_from_subproof(alg, old, new, true, *old_root, proof);
    if old_computed != *old_root {
        return Err(Error::ConsistencyOldRootMismatch {
            computed: old_computed,
            expected: *old_root,
        });
    }
    if new_computed != *new_root {
        return Err(Error::ConsistencyNewRootMismatch {
            computed: new_computed,
            expected: *new_root,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// A log built with the library, beside its naive reference values.
// ---------------------------------------------------------------------------------------

struct Log {
    alg: &'static TreeHash,
    leaves: Vec<Hash>,
    store: MemoryHashes,
    /// roots[n] is the naive root of the first n leaves.
    roots: Vec<Hash>,
}

impl Log {
    /// A log of `n` entries of random length and content from a fixed seed.
    fn random(alg: &'static TreeHash, n: usize, seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let entries = (0..n)
            .map(|_| {
                let mut entry = vec![0u8; (rng.next_u32() % 100) as usize];
                rng.fill_bytes(&mut entry);
                entry
            })
            .collect::<Vec<_>>();
        Self::from_entries(alg, &entries)
    }

    fn from_entries(alg: &'static TreeHash, entries: &[Vec<u8>]) -> Self {
        let mut store = MemoryHashes::new(alg);
        for (i, entry) in entries.iter().enumerate() {
            assert_eq!(store.append(entry).unwrap(), i as u64);
        }
        let leaves = entries.iter().map(|e| alg.hash_leaf(e)).collect::<Vec<_>>();
        let roots = (0..=leaves.len())
            .map(|n| naive_mth(alg, &leaves[..n]))
            .collect();
        Self {
            alg,
            leaves,
            store,
            roots,
        }
    }

    fn root(&self, size: u64) -> Hash {
        self.roots[size as usize]
    }
}

fn flip(proof: &[Hash], k: usize) -> Vec<Hash> {
    let mut bytes = *proof[k].as_bytes();
    bytes[0] ^= 1;
    let mut mutated = proof.to_vec();
    mutated[k] = Hash::new(bytes);
    mutated
}

fn other_hash(alg: &TreeHash) -> Hash {
    alg.hash_leaf(b"not in the log")
}

// ---------------------------------------------------------------------------------------
// Published vectors: Certificate Transparency, SHA-256.
// ---------------------------------------------------------------------------------------

/// test-vectors/standard/ct-merkle-sha256.json, from transparency-dev/merkle
/// proof/verify_test.go and rfc6962/rfc6962_test.go (CT's merkle_tree_test.cc vectors).
fn ct_vectors() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/test-vectors/standard/ct-merkle-sha256.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn h(value: &serde_json::Value) -> Hash {
    Hash::from_slice(&hex::decode(value.as_str().unwrap()).unwrap()).unwrap()
}

fn hashes(value: &serde_json::Value) -> Vec<Hash> {
    value.as_array().unwrap().iter().map(h).collect()
}

fn num(value: &serde_json::Value) -> u64 {
    value.as_u64().unwrap()
}

fn ct_log() -> Log {
    let v = ct_vectors();
    let entries = v["leaves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| hex::decode(l.as_str().unwrap()).unwrap())
        .collect::<Vec<_>>();
    Log::from_entries(&SHA256, &entries)
}

/// RFC 6962 §2.1: MTH({}) = SHA-256(), and leaf hashes SHA-256(0x00 ‖ entry).
#[test]
fn ct_empty_root_and_leaf_hashes() {
    let v = ct_vectors();
    assert_eq!(SHA256.empty_root(), h(&v["empty_root"]));
    let empty = MemoryHashes::new(&SHA256);
    assert_eq!(
        trace::tree_hash(&SHA256, 0, &empty),
        Ok(h(&v["empty_root"]))
    );
    for case in v["leaf_hashes"].as_array().unwrap() {
        let entry = hex::decode(case["entry"].as_str().unwrap()).unwrap();
        assert_eq!(SHA256.hash_leaf(&entry), h(&case["leaf_hash"]));
    }
}

/// CT reference roots for the 8-leaf tree at sizes 1..=8.
#[test]
fn ct_roots_of_sizes_1_to_8() {
    let v = ct_vectors();
    let log = ct_log();
    let roots = v["roots"].as_array().unwrap();
    assert_eq!(roots.len(), 8);
    for case in roots {
        let size = num(&case["size"]);
        let root = h(&case["root"]);
        assert_eq!(
            trace::tree_hash(&SHA256, size, &log.store),
            Ok(root),
            "size {size}"
        );
        assert_eq!(log.root(size), root, "naive reference, size {size}");
    }
}

/// CT reference inclusion proofs: generated exactly, checked, and every mutation rejected.
#[test]
fn ct_inclusion_proofs() {
    let v = ct_vectors();
    let log = ct_log();
    for case in v["inclusion"].as_array().unwrap() {
        let (index, size) = (num(&case["index"]), num(&case["size"]));
        let proof = hashes(&case["proof"]);
        assert_eq!(
            trace::prove_inclusion(&SHA256, size, index, &log.store),
            Ok(proof.clone()),
            "index {index}, size {size}"
        );
        assert_eq!(
            naive_path(&SHA256, index as usize, &log.leaves[..size as usize]),
            proof
        );
        check_inclusion_and_mutations(&log, size, index, &proof);
    }
}

/// CT reference consistency proofs: generated exactly, checked, and every mutation rejected.
#[test]
fn ct_consistency_proofs() {
    let v = ct_vectors();
    let log = ct_log();
    for case in v["consistency"].as_array().unwrap() {
        let (old, new) = (num(&case["old_size"]), num(&case["new_size"]));
        let proof = hashes(&case["proof"]);
        assert_eq!(
            trace::prove_consistency(&SHA256, old, new, &log.store),
            Ok(proof.clone()),
            "{old} -> {new}"
        );
        check_consistency_and_mutations(&log, old, new, &proof);
    }
}

// ---------------------------------------------------------------------------------------
// Exhaustive: every leaf and every pair of sizes up to 100, SM3 and SHA-256.
// ---------------------------------------------------------------------------------------

const EXHAUSTIVE: u64 = 100;

/// RFC 9162 §2.1.1: every root of every prefix matches the naive MTH.
#[test]
fn sm3_roots_match_naive_rfc9162() {
    roots_match_naive(&SM3, 1);
}

#[test]
fn sha256_roots_match_naive_rfc9162() {
    roots_match_naive(&SHA256, 2);
}

fn roots_match_naive(alg: &'static TreeHash, seed: u64) {
    let log = Log::random(alg, EXHAUSTIVE as usize, seed);
    for size in 0..=EXHAUSTIVE {
        assert_eq!(
            trace::tree_hash(alg, size, &log.store),
            Ok(log.root(size)),
            "size {size}"
        );
    }
}

/// RFC 9162 §2.1.3: every leaf of every tree size up to 100.
#[test]
fn sm3_inclusion_every_leaf_every_size() {
    inclusion_exhaustive(&SM3, 3);
}

#[test]
fn sha256_inclusion_every_leaf_every_size() {
    inclusion_exhaustive(&SHA256, 4);
}

fn inclusion_exhaustive(alg: &'static TreeHash, seed: u64) {
    let log = Log::random(alg, EXHAUSTIVE as usize, seed);
    for size in 1..=EXHAUSTIVE {
        for index in 0..size {
            let proof = trace::prove_inclusion(alg, size, index, &log.store).unwrap();
            let naive = naive_path(alg, index as usize, &log.leaves[..size as usize]);
            assert_eq!(proof, naive, "index {index}, size {size}");
            check_inclusion_and_mutations(&log, size, index, &proof);
        }
    }
}

/// RFC 9162 §2.1.4: every pair old ≤ new ≤ 100, including the empty old tree.
#[test]
fn sm3_consistency_every_pair() {
    consistency_exhaustive(&SM3, 5);
}

#[test]
fn sha256_consistency_every_pair() {
    consistency_exhaustive(&SHA256, 6);
}

fn consistency_exhaustive(alg: &'static TreeHash, seed: u64) {
    let log = Log::random(alg, EXHAUSTIVE as usize, seed);
    for new in 0..=EXHAUSTIVE {
        for old in 0..=new {
            let proof = trace::prove_consistency(alg, old, new, &log.store).unwrap();
            let naive = naive_consistency(alg, old as usize, &log.leaves[..new as usize]);
            let naive_hashes = naive.iter().map(|(h, _)| *h).collect::<Vec<_>>();
            assert_eq!(proof, naive_hashes, "{old} -> {new}");
            check_consistency_and_mutations(&log, old, new, &proof);
        }
    }
}

/// A checked proof passes; each mutation fails, with exactly the error the naive checker
/// predicts.
fn check_inclusion_and_mutations(log: &Log, size: u64, index: u64, proof: &[Hash]) {
    let alg = log.alg;
    let root = log.root(size);
    let leaf = log.leaves[index as usize];
    let ctx = format!("index {index}, size {size}");
    // Runs the library and the naive checker on the same input; they must agree.
    let check = |proof: &[Hash], size: u64, index: u64, root: &Hash, leaf: &Hash| {
        let got = trace::check_inclusion(alg, proof, size, index, root, leaf);
        let naive = naive_check_inclusion(alg, proof, size, index, root, leaf);
        assert_eq!(got, naive, "{ctx}, checked as index {index}, size {size}");
        got
    };
    assert_eq!(check(proof, size, index, &root, &leaf), Ok(()), "{ctx}");

    // One bit flipped in each proof hash (tlog TestTree: p[k][0] ^= 1).
    for k in 0..proof.len() {
        let err = check(&flip(proof, k), size, index, &root, &leaf).unwrap_err();
        assert!(
            matches!(err, Error::InclusionRootMismatch { computed, expected }
                if expected == root && computed != root),
            "{ctx}, flipped {k}: {err:?}"
        );
    }

    // Wrong leaf hash; wrong root (the proof itself still leads to the true root).
    let err = check(proof, size, index, &root, &other_hash(alg)).unwrap_err();
    assert!(
        matches!(err, Error::InclusionRootMismatch { expected, .. } if expected == root),
        "{ctx}: {err:?}"
    );
    let wrong_root = other_hash(alg);
    assert_eq!(
        check(proof, size, index, &wrong_root, &leaf),
        Err(Error::InclusionRootMismatch {
            computed: root,
            expected: wrong_root
        }),
        "{ctx}"
    );

    // Truncated, extended and preceded proofs.
    if let Some((_, shorter)) = proof.split_last() {
        assert_eq!(
            check(shorter, size, index, &root, &leaf),
            Err(Error::ProofWrongLength {
                expected: proof.len(),
                got: proof.len() - 1
            }),
            "{ctx}"
        );
    }
    let mut longer = proof.to_vec();
    longer.push(root);
    let mut preceded = vec![root];
    preceded.extend_from_slice(proof);
    for extended in [longer, preceded] {
        assert_eq!(
            check(&extended, size, index, &root, &leaf),
            Err(Error::ProofWrongLength {
                expected: proof.len(),
                got: proof.len() + 1
            }),
            "{ctx}"
        );
    }

    // Wrong index: out of range, a different proof length, or a different root.
    for w_index in [index.wrapping_sub(1), index + 1, index ^ 2, size] {
        if w_index != index && w_index != u64::MAX {
            assert!(
                check(proof, size, w_index, &root, &leaf).is_err(),
                "{ctx}, index {w_index}"
            );
        }
    }
    // Wrong size. A larger tree whose path to this leaf has the same shape can have the old
    // root as its root (index 0 of 3 leaves verifies as index 0 of 4): the checker trusts
    // the (size, root) pair it is given, as RFC 9162 §2.1.3.2 does, so only agreement with
    // the naive checker is asserted here.
    for w_size in [size + 1, size - 1, size * 2, size / 2] {
        if w_size != size {
            check(proof, w_size, index, &root, &leaf).ok();
        }
    }
}

/// A checked proof passes; each mutation fails, with exactly the error the naive checker
/// predicts.
fn check_consistency_and_mutations(log: &Log, old: u64, new: u64, proof: &[Hash]) {
    let alg = log.alg;
    let (old_root, new_root) = (log.root(old), log.root(new));
    let ctx = format!("{old} -> {new}");
    let check = |proof: &[Hash], old: u64, new: u64, old_root: &Hash, new_root: &Hash| {
        let got = trace::check_consistency(alg, proof, old, new, old_root, new_root);
        let naive = naive_check_consistency(alg, proof, old, new, old_root, new_root);
        assert_eq!(got, naive, "{ctx}, checked as {old} -> {new}");
        got
    };
    assert_eq!(
        check(proof, old, new, &old_root, &new_root),
        Ok(()),
        "{ctx}"
    );

    // One bit flipped in each proof hash. A hash of old leaves breaks the old root (checked
    // first); a hash of new leaves only breaks the new root.
    let naive = naive_consistency(alg, old as usize, &log.leaves[..new as usize]);
    for (k, (_, range)) in naive.iter().enumerate() {
        let err = check(&flip(proof, k), old, new, &old_root, &new_root).unwrap_err();
        if range.end as u64 <= old {
            assert!(
                matches!(err, Error::ConsistencyOldRootMismatch { expected, computed }
                    if expected == old_root && computed != old_root),
                "{ctx}, flipped {k}: {err:?}"
            );
        } else {
            assert!(
                matches!(err, Error::ConsistencyNewRootMismatch { expected, computed }
                    if expected == new_root && computed != new_root),
                "{ctx}, flipped {k}: {err:?}"
            );
        }
    }

    // Wrong roots, swapped roots.
    let wrong = other_hash(alg);
    let err = check(proof, old, new, &wrong, &new_root).unwrap_err();
    if old == 0 {
        assert_eq!(
            err,
            Error::ConsistencyOldRootMismatch {
                computed: alg.empty_root(),
                expected: wrong
            },
            "{ctx}"
        );
    } else if old == new {
        assert_eq!(
            err,
            Error::EqualSizeRootsDiffer {
                size: old,
                old_root: wrong,
                new_root
            },
            "{ctx}"
        );
    } else if old.is_power_of_two() {
        // RFC 9162 §2.1.4.2 step 2: the old root is the proof's implicit first hash, so a
        // wrong one shows as a wrong new root.
        assert!(
            matches!(err, Error::ConsistencyNewRootMismatch { expected, .. } if expected == new_root),
            "{ctx}: {err:?}"
        );
    } else {
        assert_eq!(
            err,
            Error::ConsistencyOldRootMismatch {
                computed: old_root,
                expected: wrong
            },
            "{ctx}"
        );
    }
    if old != 0 {
        let err = check(proof, old, new, &old_root, &wrong).unwrap_err();
        if old == new {
            assert_eq!(
                err,
                Error::EqualSizeRootsDiffer {
                    size: old,
                    old_root,
                    new_root: wrong
                },
                "{ctx}"
            );
        } else {
            assert_eq!(
                err,
                Error::ConsistencyNewRootMismatch {
                    computed: new_root,
                    expected: wrong
                },
                "{ctx}"
            );
            assert!(
                check(proof, old, new, &new_root, &old_root).is_err(),
                "{ctx}"
            );
        }
    }

    // Truncated and extended proofs.
    if let Some((_, shorter)) = proof.split_last() {
        assert_eq!(
            check(shorter, old, new, &old_root, &new_root),
            Err(Error::ProofWrongLength {
                expected: proof.len(),
                got: proof.len() - 1
            }),
            "{ctx}"
        );
    }
    let mut extensions = vec![old_root, new_root]
        .into_iter()
        .map(|extra| {
            let mut longer = proof.to_vec();
            longer.push(extra);
            longer
        })
        .collect::<Vec<_>>();
    if let Some(first) = proof.first() {
        let mut preceded = vec![*first];
        preceded.extend_from_slice(proof);
        extensions.push(preceded);
    }
    for extended in extensions {
        assert_eq!(
            check(&extended, old, new, &old_root, &new_root),
            Err(Error::ProofWrongLength {
                expected: proof.len(),
                got: proof.len() + 1
            }),
            "{ctx}"
        );
    }

    // Wrong sizes: sizes out of order, a different proof length, or different roots. As for
    // inclusion, a same-shaped pair of sizes can verify; the naive checker decides.
    let wrong_sizes = [
        (old.wrapping_sub(1), new),
        (old + 1, new),
        (old ^ 2, new),
        (old, new + 1),
        (old, new.wrapping_sub(1)),
        (old, new * 2),
        (old, new / 2),
    ];
    for (w_old, w_new) in wrong_sizes {
        if (w_old, w_new) != (old, new) && w_old != u64::MAX && w_new != u64::MAX {
            check(proof, w_old, w_new, &old_root, &new_root).ok();
        }
    }
}

/// Proofs in larger trees, sampled with a fixed seed: sizes up to 1,500.
#[test]
fn sampled_proofs_in_larger_trees() {
    for (alg, seed) in [(&SM3, 7), (&SHA256, 8)] {
        let log = Log::random(alg, 1500, seed);
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for _ in 0..300 {
            let new = u64::from(rng.next_u32() % 1500) + 1;
            let old = u64::from(rng.next_u32()) % (new + 1);
            let index = u64::from(rng.next_u32()) % new;
            let proof = trace::prove_inclusion(alg, new, index, &log.store).unwrap();
            assert_eq!(
                trace::check_inclusion(
                    alg,
                    &proof,
                    new,
                    index,
                    &log.root(new),
                    &log.leaves[index as usize]
                ),
                Ok(())
            );
            let proof = trace::prove_consistency(alg, old, new, &log.store).unwrap();
            assert_eq!(
                trace::check_consistency(alg, &proof, old, new, &log.root(old), &log.root(new)),
                Ok(())
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Stored-hash reads are O(log n), in one batch.
// ---------------------------------------------------------------------------------------

/// Counts the hashes read and the calls made, delegating to a store or answering with a
/// dummy hash for any position (to count reads in trees too large to build).
struct CountingReader<'a> {
    inner: Option<&'a MemoryHashes>,
    hashes: Cell<usize>,
    calls: Cell<usize>,
}

impl<'a> CountingReader<'a> {
    fn new(inner: Option<&'a MemoryHashes>) -> Self {
        Self {
            inner,
            hashes: Cell::new(0),
            calls: Cell::new(0),
        }
    }

    fn take(&self) -> (usize, usize) {
        (self.hashes.replace(0), self.calls.replace(0))
    }
}

impl HashReader for CountingReader<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.hashes.set(self.hashes.get() + indexes.len());
        self.calls.set(self.calls.get() + 1);
        match self.inner {
            Some(store) => store.read_hashes(indexes),
            None => Ok(vec![Hash::new([0; 32]); indexes.len()]),
        }
    }
}

fn read_budget(size: u64) -> usize {
    2 * size.max(1).ilog2() as usize + 2
}

fn assert_reads(counter: &CountingReader<'_>, size: u64, what: &str) {
    let (hashes, calls) = counter.take();
    assert!(
        hashes <= read_budget(size),
        "{what}: {hashes} reads for size {size}, budget {}",
        read_budget(size)
    );
    assert!(calls <= 1, "{what}: {calls} read calls");
}

#[test]
fn reads_are_logarithmic_in_stored_trees() {
    let log = Log::random(&SM3, 300, 9);
    let counter = CountingReader::new(Some(&log.store));
    for size in 0..=300 {
        trace::tree_hash(&SM3, size, &counter).unwrap();
        assert_reads(&counter, size, "tree_hash");
        trace::hashes_to_store(&SM3, size, b"next", &counter).ok();
        assert_reads(&counter, size, "hashes_to_store");
        for index in 0..size {
            trace::prove_inclusion(&SM3, size, index, &counter).unwrap();
            assert_reads(&counter, size, "prove_inclusion");
        }
        for old in 0..=size {
            trace::prove_consistency(&SM3, old, size, &counter).unwrap();
            assert_reads(&counter, size, "prove_consistency");
        }
    }
}

#[test]
fn reads_are_logarithmic_in_huge_trees() {
    let counter = CountingReader::new(None);
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let mut sizes = vec![MAX_TREE_SIZE, MAX_TREE_SIZE - 1, 1_000_000, (1 << 40) + 1];
    sizes.extend((0..2000).map(|_| {
        let bits = rng.next_u32() % 62;
        (rng.next_u64() >> (63 - bits)).clamp(1, MAX_TREE_SIZE)
    }));
    for size in sizes {
        let index = rng.next_u64() % size;
        let old = rng.next_u64() % (size + 1);
        trace::tree_hash(&SM3, size, &counter).unwrap();
        assert_reads(&counter, size, "tree_hash");
        trace::prove_inclusion(&SM3, size, index, &counter).unwrap();
        assert_reads(&counter, size, "prove_inclusion");
        trace::prove_inclusion(&SM3, size, size - 1, &counter).unwrap();
        assert_reads(&counter, size, "prove_inclusion of the last leaf");
        trace::prove_consistency(&SM3, old, size, &counter).unwrap();
        assert_reads(&counter, size, "prove_consistency");
        if size < MAX_TREE_SIZE {
            trace::hashes_to_store(&SM3, size, b"next", &counter).unwrap();
            assert_reads(&counter, size, "hashes_to_store");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Errors of the generating functions and of storage.
// ---------------------------------------------------------------------------------------

#[test]
fn prove_inclusion_rejects_leaf_outside_tree() {
    let log = Log::random(&SM3, 4, 11);
    for (index, size) in [(0, 0), (4, 4), (5, 4), (u64::MAX, 4)] {
        assert_eq!(
            trace::prove_inclusion(&SM3, size, index, &log.store),
            Err(Error::IndexOutOfRange { index, size })
        );
    }
}

#[test]
fn check_inclusion_rejects_leaf_outside_tree() {
    let leaf = SM3.hash_leaf(b"x");
    for (index, size) in [(0, 0), (1, 1), (7, 3)] {
        assert_eq!(
            trace::check_inclusion(&SM3, &[], size, index, &leaf, &leaf),
            Err(Error::IndexOutOfRange { index, size })
        );
    }
}

/// A one-leaf tree's root is its leaf hash and its proof is empty (RFC 9162 §2.1.3.1).
#[test]
fn single_leaf_tree() {
    let leaf = SM3.hash_leaf(b"only");
    assert_eq!(
        trace::check_inclusion(&SM3, &[], 1, 0, &leaf, &leaf),
        Ok(())
    );
    let other = SM3.hash_leaf(b"other");
    assert_eq!(
        trace::check_inclusion(&SM3, &[], 1, 0, &leaf, &other),
        Err(Error::InclusionRootMismatch {
            computed: other,
            expected: leaf
        })
    );
    assert_eq!(
        trace::check_inclusion(&SM3, &[leaf], 1, 0, &leaf, &leaf),
        Err(Error::ProofWrongLength {
            expected: 0,
            got: 1
        })
    );
}

#[test]
fn consistency_rejects_sizes_out_of_order() {
    let log = Log::random(&SM3, 8, 12);
    assert_eq!(
        trace::prove_consistency(&SM3, 5, 4, &log.store),
        Err(Error::SizesOutOfOrder {
            old_size: 5,
            new_size: 4
        })
    );
    let root = log.root(4);
    assert_eq!(
        trace::check_consistency(&SM3, &[], 9, 8, &root, &root),
        Err(Error::SizesOutOfOrder {
            old_size: 9,
            new_size: 8
        })
    );
}

/// An empty old tree is a prefix of every tree, but only with the empty root and an empty
/// proof.
#[test]
fn consistency_from_the_empty_tree() {
    let log = Log::random(&SM3, 8, 13);
    let empty = SM3.empty_root();
    assert_eq!(
        trace::check_consistency(&SM3, &[], 0, 8, &empty, &log.root(8)),
        Ok(())
    );
    assert_eq!(
        trace::check_consistency(&SM3, &[], 0, 0, &empty, &empty),
        Ok(())
    );
    assert_eq!(
        trace::check_consistency(&SM3, &[empty], 0, 8, &empty, &log.root(8)),
        Err(Error::ProofWrongLength {
            expected: 0,
            got: 1
        })
    );
    // The SHA-256 empty root is not the SM3 one.
    assert_eq!(
        trace::check_consistency(&SM3, &[], 0, 8, &SHA256.empty_root(), &log.root(8)),
        Err(Error::ConsistencyOldRootMismatch {
            computed: empty,
            expected: SHA256.empty_root()
        })
    );
}

#[test]
fn sizes_beyond_the_limit_are_rejected() {
    let too_large = Error::TreeTooLarge {
        size: MAX_TREE_SIZE + 1,
        max: MAX_TREE_SIZE,
    };
    let store = MemoryHashes::new(&SM3);
    let root = SM3.empty_root();
    assert_eq!(
        trace::tree_hash(&SM3, MAX_TREE_SIZE + 1, &store),
        Err(too_large.clone())
    );
    assert_eq!(
        trace::prove_inclusion(&SM3, MAX_TREE_SIZE + 1, 0, &store),
        Err(too_large.clone())
    );
    assert_eq!(
        trace::check_inclusion(&SM3, &[], MAX_TREE_SIZE + 1, 0, &root, &root),
        Err(too_large.clone())
    );
    assert_eq!(
        trace::prove_consistency(&SM3, 1, MAX_TREE_SIZE + 1, &store),
        Err(too_large.clone())
    );
    assert_eq!(
        trace::check_consistency(&SM3, &[], 1, MAX_TREE_SIZE + 1, &root, &root),
        Err(too_large.clone())
    );
    assert_eq!(
        trace::hashes_to_store(&SM3, MAX_TREE_SIZE, b"one too many", &store),
        Err(too_large)
    );
    assert_eq!(
        trace::stored_hash_count(u64::MAX),
        Err(Error::TreeTooLarge {
            size: u64::MAX,
            max: MAX_TREE_SIZE
        })
    );
}

/// Asking a store about a tree larger than it holds names the missing stored hash.
#[test]
fn store_smaller_than_tree_is_reported() {
    let log = Log::random(&SM3, 5, 14);
    assert_eq!(
        trace::stored_hash_count(5),
        Ok(log.store.stored().len() as u64)
    );
    assert_eq!(
        trace::tree_hash(&SM3, 6, &log.store),
        Err(Error::HashNotStored {
            index: trace::stored_hash_index(1, 2).unwrap(),
            stored: 8
        })
    );
    assert_eq!(
        trace::prove_inclusion(&SM3, 8, 0, &log.store),
        Err(Error::HashNotStored {
            index: trace::stored_hash_index(2, 1).unwrap(),
            stored: 8
        })
    );
}

/// A store that returns too few hashes is caught, never indexed past its end.
#[test]
fn short_reader_is_caught() {
    struct Short;
    impl HashReader for Short {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
            Ok(vec![Hash::new([0; 32]); indexes.len() - 1])
        }
    }
    assert_eq!(
        trace::prove_inclusion(&SM3, 8, 0, &Short),
        Err(Error::ReaderCountMismatch {
            requested: 3,
            returned: 2
        })
    );
    assert_eq!(
        trace::tree_hash(&SM3, 7, &Short),
        Err(Error::ReaderCountMismatch {
            requested: 3,
            returned: 2
        })
    );
}

/// Appending through `hashes_to_store` into another store gives the same stored hashes, in
/// the same positions, as `MemoryHashes::append`.
#[test]
fn hashes_to_store_builds_the_same_store() {
    let entries = (0..64u8)
        .map(|i| vec![i; usize::from(i)])
        .collect::<Vec<_>>();
    let log = Log::from_entries(&SHA256, &entries);
    let mut stored: Vec<Hash> = Vec::new();
    for (size, entry) in (0u64..).zip(&entries) {
        assert_eq!(trace::stored_hash_count(size), Ok(stored.len() as u64));
        let new = trace::hashes_to_store(&SHA256, size, entry, &VecReader(&stored)).unwrap();
        assert_eq!(new.len(), 1 + size.trailing_ones() as usize);
        assert_eq!(new[0], SHA256.hash_leaf(entry));
        stored.extend(new);
    }
    assert_eq!(stored, log.store.stored());
}

struct VecReader<'a>(&'a [Hash]);

impl HashReader for VecReader<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        Ok(indexes.iter().map(|&i| self.0[i as usize]).collect())
    }
}

/// Error messages are sentences a person can act on.
#[test]
fn error_messages_are_sentences() {
    assert_eq!(
        Error::ProofWrongLength {
            expected: 3,
            got: 4
        }
        .to_string(),
        "the proof should hold 3 hashes, but it holds 4"
    );
    assert_eq!(
        Error::IndexOutOfRange { index: 9, size: 8 }.to_string(),
        "leaf index 9 is outside a tree of 8 leaves"
    );
    let computed = Hash::new([1; 32]);
    let expected = Hash::new([2; 32]);
    assert_eq!(
        Error::InclusionRootMismatch { computed, expected }.to_string(),
        format!(
            "the inclusion proof leads to root {}, but the expected root is {}",
            "01".repeat(32),
            "02".repeat(32)
        )
    );
}
