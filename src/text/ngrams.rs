//! Terms from tokens: word n-grams and, optionally, character n-grams inside words.
//!
//! Word n-grams join tokens with one space (tokens never contain spaces, so a term's n is
//! its number of spaces plus one). Character n-grams are taken inside each word padded with
//! a space on both sides, like scikit-learn's `char_wb`, and carry the prefix `c:`, which no
//! word term can have because `:` always forms a token of its own.

use serde::{Deserialize, Serialize};

use super::tokenize::{Tokenizer, Tokens};
use crate::error::{Error, Result};

/// Prefix of character n-gram terms.
pub const CHAR_PREFIX: &str = "c:";

/// How text becomes terms. Checked with [`AnalyzerParams::check`] before use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerParams {
    /// Word n-gram range, inclusive (default 1-2).
    pub word_ngrams: (usize, usize),
    /// Character n-gram range inside words, inclusive; `None` turns them off (default off).
    pub char_ngrams: Option<(usize, usize)>,
}

impl Default for AnalyzerParams {
    fn default() -> Self {
        AnalyzerParams {
            word_ngrams: (1, 2),
            char_ngrams: None,
        }
    }
}

fn check_range(name: &str, (lo, hi): (usize, usize)) -> Result<()> {
    if lo == 0 || lo > hi || hi > 10 {
        return Err(Error::param(
            name,
            format!("range {lo}-{hi} must satisfy 1 <= min <= max <= 10"),
        ));
    }
    Ok(())
}

impl AnalyzerParams {
    /// Validates the ranges and returns the analyzer.
    pub fn check(self) -> Result<Analyzer> {
        check_range("--ngrams", self.word_ngrams)?;
        if let Some(r) = self.char_ngrams {
            check_range("--char-ngrams", r)?;
        }
        Ok(Analyzer {
            params: self,
            tokenizer: Tokenizer,
        })
    }
}

/// A checked analyzer: turns a text into its terms.
#[derive(Debug, Clone)]
pub struct Analyzer {
    params: AnalyzerParams,
    tokenizer: Tokenizer,
}

/// Reusable buffers for [`Analyzer::for_each_term`].
#[derive(Debug, Default)]
pub struct Scratch {
    tokens: Tokens,
    term: String,
    chars: Vec<char>,
}

impl Analyzer {
    /// The parameters this analyzer was built from.
    pub fn params(&self) -> &AnalyzerParams {
        &self.params
    }

    /// Calls `f` with every term of `text`, in order, repeats included.
    pub fn for_each_term(&self, text: &str, scratch: &mut Scratch, mut f: impl FnMut(&str)) {
        self.tokenizer.tokenize_into(text, &mut scratch.tokens);
        let tokens = &scratch.tokens;
        let (lo, hi) = self.params.word_ngrams;
        for start in 0..tokens.len() {
            let term = &mut scratch.term;
            term.clear();
            for n in 1..=hi {
                let end = start + n;
                if end > tokens.len() {
                    break;
                }
                if n > 1 {
                    term.push(' ');
                }
                term.push_str(tokens.get(end - 1));
                if n >= lo {
                    f(term);
                }
            }
        }
        if let Some((clo, chi)) = self.params.char_ngrams {
            for word in tokens.iter() {
                let chars = &mut scratch.chars;
                chars.clear();
                chars.push(' ');
                chars.extend(word.chars());
                chars.push(' ');
                for n in clo..=chi.min(chars.len()) {
                    for window in chars.windows(n) {
                        let term = &mut scratch.term;
                        term.clear();
                        term.push_str(CHAR_PREFIX);
                        term.extend(window.iter());
                        f(term);
                    }
                }
            }
        }
    }

    /// All terms of `text` as owned strings (convenient, allocating).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, &mut Scratch::default(), |t| out.push(t.to_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer(word: (usize, usize), chars: Option<(usize, usize)>) -> Analyzer {
        AnalyzerParams {
            word_ngrams: word,
            char_ngrams: chars,
        }
        .check()
        .unwrap()
    }

    #[test]
    fn word_unigrams_and_bigrams() {
        let a = analyzer((1, 2), None);
        assert_eq!(
            a.terms("No troops, López!"),
            vec![
                "no",
                "no troops",
                "troops",
                "troops ,",
                ",",
                ", lopez",
                "lopez",
                "lopez !",
                "!"
            ]
        );
    }

    #[test]
    fn only_bigrams() {
        let a = analyzer((2, 2), None);
        assert_eq!(a.terms("a b c"), vec!["a b", "b c"]);
    }

    #[test]
    fn char_ngrams_inside_padded_words() {
        let a = analyzer((1, 1), Some((2, 3)));
        assert_eq!(
            a.terms("ab"),
            vec!["ab", "c: a", "c:ab", "c:b ", "c: ab", "c:ab "]
        );
    }

    #[test]
    fn rejects_bad_ranges() {
        for (lo, hi) in [(0, 1), (2, 1), (1, 11)] {
            let err = AnalyzerParams {
                word_ngrams: (lo, hi),
                char_ngrams: None,
            }
            .check()
            .unwrap_err();
            assert!(err.to_string().contains("--ngrams"), "{err}");
        }
        assert!(AnalyzerParams {
            word_ngrams: (1, 1),
            char_ngrams: Some((3, 2)),
        }
        .check()
        .is_err());
    }
}
