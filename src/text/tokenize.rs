//! The fast tokeniser: one pass over the bytes, no allocation per token.
//!
//! It produces exactly the tokens of [`super::reference::tokens`]: maximal runs of word
//! characters (Unicode `\w`) and maximal runs of other non-space characters, after
//! [`super::normalize`]. Tokens are written into one reusable buffer, so tokenising a
//! paragraph allocates nothing once the buffers have grown. The same pass records where the
//! white-space-separated words end, so that character n-grams can be taken over whole words
//! (`#hashtag`, `u.s.`, `no!`) as well as over tokens; see [`Tokens::words`].

use super::normalize::normalize_char;

/// What a normalised character is to the tokeniser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Space,
    Word,
    Punct,
}

/// The class of a normalised character: Unicode `\w`, white space, or anything else.
#[inline]
pub fn class_of(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_ascii_whitespace() || c == '\u{0b}' {
            Class::Space
        } else {
            Class::Punct
        }
    } else if c.is_whitespace() {
        Class::Space
    } else if regex_syntax::try_is_word_character(c).unwrap_or(false) {
        Class::Word
    } else {
        Class::Punct
    }
}

/// The tokens of one text, stored back to back in one buffer.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    buf: String,
    /// Where each token ends in `buf`.
    ends: Vec<usize>,
    /// For each white-space-separated word, the number of tokens up to its end.
    word_ends: Vec<usize>,
}

impl Tokens {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th token.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    /// All tokens in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// The white-space-separated words of the normalised text, in order: each is the
    /// concatenation of the tokens that no white space separates (`#`+`hashtag`), stored back
    /// to back, so a word is one slice of the buffer. The same as splitting the normalised text
    /// on white space ([`super::reference::words`]).
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        let token_start = move |t: usize| if t == 0 { 0 } else { self.ends[t - 1] };
        self.word_ends.iter().enumerate().map(move |(w, &end)| {
            let first = if w == 0 { 0 } else { self.word_ends[w - 1] };
            &self.buf[token_start(first)..self.ends[end - 1]]
        })
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
        self.word_ends.clear();
    }
}

/// The fast tokeniser (stateless; a unit struct so that it can grow options later).
#[derive(Debug, Default, Clone, Copy)]
pub struct Tokenizer;

impl Tokenizer {
    /// Tokenises `text` into `out`, replacing its contents.
    pub fn tokenize_into(&self, text: &str, out: &mut Tokens) {
        out.clear();
        let mut current = Class::Space;
        // Starts a new token when the class changes (white space only ends tokens); white
        // space after a token also ends a word.
        fn switch(current: &mut Class, class: Class, out: &mut Tokens) {
            if class != *current && *current != Class::Space {
                out.ends.push(out.buf.len());
                if class == Class::Space {
                    out.word_ends.push(out.ends.len());
                }
            }
            *current = class;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                // A run of ASCII bytes of one class is copied and lowercased in one go: this
                // is almost all of English news text.
                let class = class_of(b as char);
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii() && class_of(bytes[j] as char) == class
                {
                    j += 1;
                }
                switch(&mut current, class, out);
                if class != Class::Space {
                    let start = out.buf.len();
                    out.buf.push_str(&text[i..j]);
                    out.buf[start..].make_ascii_lowercase();
                }
                i = j;
            } else {
                // A multi-byte character: decode it from the str (always on a boundary here).
                let c = text[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                normalize_char(c, |n| {
                    let class = class_of(n);
                    switch(&mut current, class, out);
                    if class != Class::Space {
                        out.buf.push(n);
                    }
                });
            }
        }
        if current != Class::Space {
            out.ends.push(out.buf.len());
            out.word_ends.push(out.ends.len());
        }
    }

    /// Tokens of `text` as owned strings (convenient, allocating).
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        let mut t = Tokens::default();
        self.tokenize_into(text, &mut t);
        t.iter().map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::reference;

    fn same(text: &str) {
        assert_eq!(
            Tokenizer.tokenize(text),
            reference::tokens(text),
            "{text:?}"
        );
        let mut t = Tokens::default();
        Tokenizer.tokenize_into(text, &mut t);
        assert_eq!(
            t.words().collect::<Vec<_>>(),
            reference::words(text),
            "{text:?}"
        );
    }

    #[test]
    fn words_join_the_tokens_between_white_space() {
        let mut t = Tokens::default();
        Tokenizer.tokenize_into("  #NoWar, said @López!  U.S.-led\t:)", &mut t);
        assert_eq!(
            t.words().collect::<Vec<_>>(),
            vec!["#nowar,", "said", "@lopez!", "u.s.-led", ":)"]
        );
        assert_eq!(t.len(), 13);
    }

    #[test]
    fn matches_reference_on_tricky_text() {
        for text in [
            "",
            "   ",
            "Hello, World!",
            "Trump’s “soft invasion” — U.S.-Mexico; 2024… López Obrador (AMLO)",
            "tabs\tand\nnewlines\r\nand\u{a0}nbsp",
            "snake_case #hashtag @user http://t.co/x1 :) ;-)",
            "İstanbul ǅ ß ﬁ Ωmega ÅNGSTRÖM naïve café",
            "日本語 text, emoji 🙂 and ١٢٣ digits",
            "a\u{0301}b combining",
        ] {
            same(text);
        }
    }

    #[test]
    fn seed_articles_match_reference() {
        for text in [
            include_str!("../../training-data/articles/000_632b579303366732.txt"),
            include_str!("../../training-data/articles/001_00c2a469af9feb9e.txt"),
            include_str!("../../training-data/articles/004_82a63f2f43a008bb.txt"),
        ] {
            same(text);
        }
    }

    #[test]
    fn buffer_is_reused() {
        let mut t = Tokens::default();
        Tokenizer.tokenize_into("one two", &mut t);
        Tokenizer.tokenize_into("three", &mut t);
        assert_eq!(t.iter().collect::<Vec<_>>(), vec!["three"]);
        assert_eq!(t.words().collect::<Vec<_>>(), vec!["three"]);
    }
}
