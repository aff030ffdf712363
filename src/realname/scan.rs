//! Character-level helpers shared by the validators. They work on `char`s, so input that
//! still holds non-ASCII characters is measured and reported correctly.

use super::{CharClass, ExpectedLength, InvalidReason};

/// The characters of `value` as an array of exactly `N`, or [`InvalidReason::BadLength`].
pub(super) fn exact<const N: usize>(
    value: &str,
    expected: ExpectedLength,
) -> Result<[char; N], InvalidReason> {
    let mut out = ['\0'; N];
    let mut found = 0;
    for c in value.chars() {
        if let Some(slot) = out.get_mut(found) {
            *slot = c;
        }
        found += 1;
    }
    if found == N {
        Ok(out)
    } else {
        Err(InvalidReason::BadLength { expected, found })
    }
}

/// The values of `chars` if all are ASCII digits, or the first offender (positions from 1,
/// starting at `first_position`).
pub(super) fn digits<const N: usize>(
    chars: &[char; N],
    first_position: usize,
) -> Result<[u32; N], InvalidReason> {
    let mut out = [0; N];
    for (offset, (slot, &c)) in out.iter_mut().zip(chars).enumerate() {
        *slot = digit(c, first_position + offset)?;
    }
    Ok(out)
}

/// The value of one ASCII digit at `position`.
pub(super) fn digit(c: char, position: usize) -> Result<u32, InvalidReason> {
    match c {
        '0'..='9' => Ok(u32::from(c) - u32::from('0')),
        _ => Err(bad(c, position, CharClass::Digit)),
    }
}

/// [`InvalidReason::BadCharacter`] for `found` at `position`.
pub(super) fn bad(found: char, position: usize, expected: CharClass) -> InvalidReason {
    InvalidReason::BadCharacter {
        position,
        found,
        expected,
    }
}

/// The ASCII digit for `value`, which callers keep below 10.
pub(super) fn digit_char(value: u32) -> char {
    char::from_digit(value % 10, 10).unwrap_or('0')
}
