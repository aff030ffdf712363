//! Signing nonces by RFC 6979 §3.2 with HMAC-SM3 (qlen = hlen = 256), the same values as the
//! `rfc6979` crate's `KGenerator` (the tests hold it to that), in about half the SM3
//! compressions:
//!
//! - each HMAC key's inner and outer pad states are computed once and cloned for every HMAC
//!   under that key (the first key, K = 0³², once per process), where a fresh HMAC per call
//!   pays two compressions each time;
//! - the K, V update that §3.2 step h.3 makes after a rejected candidate is made only when
//!   another candidate is asked for, not after every one;
//! - step d's HMAC under K = 0³² begins with V = 0x01…01, 0x00 and the 32-byte key, exactly one
//!   block that depends only on the key: a [`NoncePrefix`] holds the state after it, made once
//!   per signing key.
//!
//! Per signature that is 17 compressions instead of 32 with 32 bytes of added entropy.

use std::sync::LazyLock;

use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use super::curve::FIELD_LEN;

type HmacSm3 = hmac::Hmac<::sm3::Sm3>;

/// HMAC-SM3 keyed with the initial K = 0x00…00 of step c: public.
static INITIAL_MAC: LazyLock<HmacSm3> = LazyLock::new(|| keyed(&[0; FIELD_LEN]));

/// The initial V = 0x01…01 of step b.
const INITIAL_V: [u8; FIELD_LEN] = [1; FIELD_LEN];

/// The group order n, big-endian: candidates must lie in [1, n − 1].
const ORDER: [u8; FIELD_LEN] = [
    0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x23,
];

fn keyed(key: &[u8; FIELD_LEN]) -> HmacSm3 {
    // Invariant: HMAC takes keys of any length, so this never fails.
    HmacSm3::new_from_slice(key).unwrap_or_else(|_| HmacSm3::new(&Default::default()))
}

fn finish(mac: HmacSm3) -> Zeroizing<[u8; FIELD_LEN]> {
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// The state of step d's HMAC after V ‖ 0x00 ‖ x, which depends only on the private key x:
/// one block, computed once per signing key. Wiped on drop (the `hmac` crate's `zeroize`).
pub(crate) struct NoncePrefix(HmacSm3);

impl NoncePrefix {
    pub(crate) fn new(x: &[u8; FIELD_LEN]) -> Self {
        let mut mac = INITIAL_MAC.clone();
        mac.update(&INITIAL_V);
        mac.update(&[0x00]);
        mac.update(x);
        Self(mac)
    }
}

/// The HMAC_DRBG state of RFC 6979 §3.2: `mac` is HMAC keyed with K, `v` is V.
pub(crate) struct Nonces {
    mac: HmacSm3,
    v: Zeroizing<[u8; FIELD_LEN]>,
    /// Whether a candidate was handed out since the last K, V update (step h.3 is owed).
    update_owed: bool,
}

impl Nonces {
    /// Steps b–g for the private key `x` (with `prefix` made from it) and `h` =
    /// bits2octets(H(m)) (here e mod n, as 32 bytes), with optional added entropy `extra`
    /// (§3.6).
    pub(crate) fn new(
        prefix: &NoncePrefix,
        x: &[u8; FIELD_LEN],
        h: &[u8; FIELD_LEN],
        extra: &[u8],
    ) -> Self {
        // d: K = HMAC_K(V ‖ 0x00 ‖ x ‖ h ‖ extra), V ‖ 0x00 ‖ x already in `prefix`;
        // e: V = HMAC_K(V).
        let mac = prefix.0.clone().chain_update(h).chain_update(extra);
        let mac = keyed(&finish(mac));
        let v = finish(mac.clone().chain_update(INITIAL_V));
        // f: K = HMAC_K(V ‖ 0x01 ‖ x ‖ h ‖ extra); g: V = HMAC_K(V).
        let mut next = mac.clone();
        next.update(v.as_ref());
        next.update(&[0x01]);
        next.update(x);
        next.update(h);
        next.update(extra);
        let mac = keyed(&finish(next));
        let v = finish(mac.clone().chain_update(v.as_ref()));
        Self {
            mac,
            v,
            update_owed: false,
        }
    }

    /// The next candidate k in [1, n − 1] as 32 big-endian bytes (step h; with qlen = 256
    /// one V is one candidate and bits2int is the identity).
    pub(crate) fn next_k(&mut self) -> Zeroizing<[u8; FIELD_LEN]> {
        loop {
            if self.update_owed {
                // h.3: K = HMAC_K(V ‖ 0x00); V = HMAC_K(V).
                let key = finish(
                    self.mac
                        .clone()
                        .chain_update(self.v.as_ref())
                        .chain_update([0]),
                );
                self.mac = keyed(&key);
                self.v = finish(self.mac.clone().chain_update(self.v.as_ref()));
            }
            // h.2: V = HMAC_K(V), the candidate.
            self.v = finish(self.mac.clone().chain_update(self.v.as_ref()));
            self.update_owed = true;
            if in_range(&self.v) {
                return self.v.clone();
            }
        }
    }
}

/// Whether 0 < k < n, for big-endian k, without branches on k.
fn in_range(k: &[u8; FIELD_LEN]) -> bool {
    use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
    let mut less = subtle::Choice::from(0);
    let mut nonzero = subtle::Choice::from(0);
    // From the lowest byte up: each unequal byte overwrites the comparison.
    for (byte, bound) in k.iter().zip(ORDER).rev() {
        let differs = !byte.ct_eq(&bound);
        less = subtle::Choice::conditional_select(&less, &byte.ct_lt(&bound), differs);
        nonzero |= !byte.ct_eq(&0);
    }
    bool::from(less & nonzero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{Rng, SeedableRng};
    use sm2::elliptic_curve::Curve;
    use sm2::{Sm2, U256};

    /// The same candidates as the `rfc6979` crate's generator (RFC 6979 §3.2 with HMAC-SM3),
    /// with and without added entropy (§3.6), over several successive candidates (the step
    /// h.3 update between them).
    #[test]
    fn candidates_match_the_rfc6979_crate() {
        let order: U256 = Sm2::ORDER.get();
        let mut rng = ChaCha20Rng::seed_from_u64(123);
        for round in 0..64 {
            let mut x = [0u8; 32];
            let mut h = [0u8; 32];
            let mut extra = [0u8; 32];
            rng.fill_bytes(&mut x);
            rng.fill_bytes(&mut h);
            rng.fill_bytes(&mut extra);
            // h is bits2octets(H(m)), below n: clear the top bit.
            h[0] &= 0x7f;
            x[0] &= 0x7f;
            let extra: &[u8] = if round % 2 == 0 { &extra } else { &[] };
            let mut theirs = rfc6979::KGenerator::<::sm3::Sm3, U256>::new(&x, &h, extra, &order);
            let mut ours = Nonces::new(&NoncePrefix::new(&x), &x, &h, extra);
            for _ in 0..3 {
                let mut expected = [0u8; 32];
                theirs.fill_next_k(&mut expected);
                assert_eq!(*ours.next_k(), expected);
            }
        }
    }

    /// The range check of step h.3: 0 and n, n + 1 and 2²⁵⁶ − 1 are rejected; 1 and n − 1 are
    /// accepted.
    #[test]
    fn range_check_is_exactly_one_to_n_minus_one() {
        let mut n_minus_1 = ORDER;
        n_minus_1[31] -= 1;
        let mut n_plus_1 = ORDER;
        n_plus_1[31] += 1;
        let mut one = [0u8; 32];
        one[31] = 1;
        assert!(in_range(&one));
        assert!(in_range(&n_minus_1));
        assert!(!in_range(&[0; 32]));
        assert!(!in_range(&ORDER));
        assert!(!in_range(&n_plus_1));
        assert!(!in_range(&[0xff; 32]));
    }
}
