//! Input normalisation (DOMAIN.md §1): what every check does before it looks at the value.

use zeroize::Zeroizing;

use super::InvalidReason;

/// The longest input, in characters, that a check examines. The longest identifier is a
/// 19-digit card number, and real input with separators or a country prefix stays well
/// below this; longer input is rejected before any other work, so a check costs the same
/// bounded effort whatever it is given.
pub const MAX_INPUT_CHARS: usize = 64;

/// Normalises `input`: full-width digits, letters and signs (U+FF01–U+FF5E) become ASCII,
/// white space and hyphen-like characters are removed, and ASCII letters are upper-cased.
/// Any other character is kept for the validator to reject with its position.
///
/// The result is wiped when dropped, as it holds personal data.
pub(super) fn normalize(input: &str) -> Result<Zeroizing<String>, InvalidReason> {
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(InvalidReason::TooLong {
            max_chars: MAX_INPUT_CHARS,
        });
    }
    let mut out = Zeroizing::new(String::with_capacity(input.len()));
    for c in input.chars().map(fold_width) {
        if !is_separator(c) {
            out.push(c.to_ascii_uppercase());
        }
    }
    if out.is_empty() {
        return Err(InvalidReason::Empty);
    }
    Ok(out)
}

/// Maps a full-width form (U+FF01–U+FF5E) to its ASCII character (U+0021–U+007E).
fn fold_width(c: char) -> char {
    const FULL_WIDTH_OFFSET: u32 = 0xFEE0;
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - FULL_WIDTH_OFFSET).unwrap_or(c),
        _ => c,
    }
}

/// Characters people type between groups of digits: white space (including the ideographic
/// space U+3000) and the hyphen, dash and minus signs.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_letters_become_ascii() {
        let input = "１１０１０５１９４９１２３１００２ｘ";
        assert_eq!(normalize(input).unwrap().as_str(), "11010519491231002X");
    }

    #[test]
    fn separators_are_removed() {
        let input = " 110105-1949\u{3000}1231\u{2013}002x\t";
        assert_eq!(normalize(input).unwrap().as_str(), "11010519491231002X");
        assert_eq!(
            normalize("＋８６ １３８－１２３４－５６７８")
                .unwrap()
                .as_str(),
            "+8613812345678"
        );
    }

    #[test]
    fn other_characters_are_kept_for_the_validator() {
        assert_eq!(normalize("1一2").unwrap().as_str(), "1一2");
    }

    #[test]
    fn empty_after_normalisation() {
        assert_eq!(normalize(" - \u{3000}").unwrap_err(), InvalidReason::Empty);
        assert_eq!(normalize("").unwrap_err(), InvalidReason::Empty);
    }

    #[test]
    fn length_limit_is_checked_first() {
        let at_limit = "-".repeat(MAX_INPUT_CHARS);
        assert_eq!(normalize(&at_limit).unwrap_err(), InvalidReason::Empty);
        let over = "1".repeat(MAX_INPUT_CHARS + 1);
        assert_eq!(
            normalize(&over).unwrap_err(),
            InvalidReason::TooLong {
                max_chars: MAX_INPUT_CHARS
            }
        );
    }
}
