//! Character normalisation: canonical decomposition, accents removed, lowercase.
//!
//! The same steps, in the same order, as the `tokenizers` normaliser sequence
//! `[NFD, StripAccents, Lowercase]` in [`super::reference`]: each character is decomposed,
//! its combining marks dropped and the rest lowercased. ASCII takes a shortcut because it is
//! almost all of English news text and none of it decomposes.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Feeds the normalised form of `c` to `emit`, one character at a time.
#[inline]
pub fn normalize_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            for l in d.to_lowercase() {
                emit(l);
            }
        }
    });
}

/// The normalised form of a whole string.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        normalize_char(c, |n| out.push(n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_and_strips_accents() {
        assert_eq!(normalize("López Obrador"), "lopez obrador");
        assert_eq!(normalize("MÉRIDA Michoacán"), "merida michoacan");
        assert_eq!(normalize("ÅNGSTRÖM"), "angstrom");
    }

    #[test]
    fn keeps_punctuation_and_quotes() {
        assert_eq!(normalize("Trump’s “plan”—now!"), "trump’s “plan”—now!");
    }
}
