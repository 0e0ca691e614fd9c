//! Terms from tokens: word n-grams and, optionally, character n-grams inside words.
//!
//! Word n-grams join tokens with one space (tokens never contain spaces, so a term's n is
//! its number of spaces plus one). Character n-grams are taken inside each token, or each
//! white-space-separated word ([`CharSource`]), padded with a space on both sides, like
//! scikit-learn's `char_wb`, and carry the prefix `c:`, which no word term can have because
//! `:` always forms a token of its own.

use serde::{Deserialize, Serialize};

use super::tokenize::{Tokenizer, Tokens};
use crate::error::{Error, Result};

/// Prefix of character n-gram terms.
pub const CHAR_PREFIX: &str = "c:";

/// What character n-grams are taken inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CharSource {
    /// Each token: `#nowar!` gives n-grams of ` # `, ` nowar ` and ` ! ` (default).
    #[default]
    Tokens,
    /// Each white-space-separated word of the normalised text, punctuation attached:
    /// ` #nowar! `, as scikit-learn's `char_wb` over the raw text. On tweets this keeps
    /// hashtags, mentions and emoticons in one piece.
    Words,
}

impl std::str::FromStr for CharSource {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "tokens" => Ok(CharSource::Tokens),
            "words" => Ok(CharSource::Words),
            _ => Err(format!(
                "`{s}` is not a character n-gram source; use tokens or words"
            )),
        }
    }
}

impl std::fmt::Display for CharSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CharSource::Tokens => "tokens",
            CharSource::Words => "words",
        })
    }
}

/// How text becomes terms. Checked with [`AnalyzerParams::check`] before use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerParams {
    /// Word n-gram range, inclusive (default 1-2).
    pub word_ngrams: (usize, usize),
    /// Character n-gram range inside words, inclusive; `None` turns them off (default off).
    pub char_ngrams: Option<(usize, usize)>,
    /// What character n-grams are taken inside (default tokens; model files before format
    /// version 3 lack the field and were made with tokens).
    #[serde(default)]
    pub char_source: CharSource,
}

impl Default for AnalyzerParams {
    fn default() -> Self {
        AnalyzerParams {
            word_ngrams: (1, 2),
            char_ngrams: None,
            char_source: CharSource::Tokens,
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
        if let Some(range) = self.params.char_ngrams {
            let (chars, term) = (&mut scratch.chars, &mut scratch.term);
            match self.params.char_source {
                CharSource::Tokens => {
                    for word in tokens.iter() {
                        char_ngrams(word, range, chars, term, &mut f);
                    }
                }
                CharSource::Words => {
                    for word in tokens.words() {
                        char_ngrams(word, range, chars, term, &mut f);
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

/// Calls `f` with the character n-grams, `lo` to `hi` long, of `word` padded with a space on
/// both sides (prefixed with [`CHAR_PREFIX`]); `chars` and `term` are scratch buffers.
fn char_ngrams(
    word: &str,
    (lo, hi): (usize, usize),
    chars: &mut Vec<char>,
    term: &mut String,
    f: &mut impl FnMut(&str),
) {
    chars.clear();
    chars.push(' ');
    chars.extend(word.chars());
    chars.push(' ');
    for n in lo..=hi.min(chars.len()) {
        for window in chars.windows(n) {
            term.clear();
            term.push_str(CHAR_PREFIX);
            term.extend(window.iter());
            f(term);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer(word: (usize, usize), chars: Option<(usize, usize)>) -> Analyzer {
        AnalyzerParams {
            word_ngrams: word,
            char_ngrams: chars,
            ..AnalyzerParams::default()
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
    fn char_ngrams_inside_tokens_or_words() {
        let with = |source| {
            AnalyzerParams {
                word_ngrams: (1, 1),
                char_ngrams: Some((3, 3)),
                char_source: source,
            }
            .check()
            .unwrap()
            .terms("#No war")
        };
        // Tokens `#`, `no`, `war`; words `#no`, `war`. Word terms are the same either way.
        assert_eq!(
            with(CharSource::Tokens),
            vec!["#", "no", "war", "c: # ", "c: no", "c:no ", "c: wa", "c:war", "c:ar "]
        );
        assert_eq!(
            with(CharSource::Words),
            vec!["#", "no", "war", "c: #n", "c:#no", "c:no ", "c: wa", "c:war", "c:ar "]
        );
        assert_eq!("words".parse(), Ok(CharSource::Words));
        assert!("raw"
            .parse::<CharSource>()
            .unwrap_err()
            .contains("tokens or words"));
    }

    #[test]
    fn rejects_bad_ranges() {
        for (lo, hi) in [(0, 1), (2, 1), (1, 11)] {
            let err = AnalyzerParams {
                word_ngrams: (lo, hi),
                char_ngrams: None,
                ..AnalyzerParams::default()
            }
            .check()
            .unwrap_err();
            assert!(err.to_string().contains("--ngrams"), "{err}");
        }
        assert!(AnalyzerParams {
            word_ngrams: (1, 1),
            char_ngrams: Some((3, 2)),
            ..AnalyzerParams::default()
        }
        .check()
        .is_err());
    }
}
