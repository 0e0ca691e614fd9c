//! Terms from tokens: word n-grams and, optionally, character n-grams inside words.
//!
//! Word n-grams join tokens with one space (tokens never contain spaces, so a term's n is
//! its number of spaces plus one). Character n-grams are taken inside each token, or each
//! white-space-separated word ([`CharSource`]), padded with a space on both sides, like
//! scikit-learn's `char_wb`, and carry the prefix `c:`, which no word term can have because
//! `:` always forms a token of its own.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::hashtags::{self, Hashtags};
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
    /// What happens to hashtags before normalisation (default keep; model files before
    /// format version 5 lack the field and were made with keep).
    #[serde(default, skip_serializing_if = "Hashtags::is_keep")]
    pub hashtags: Hashtags,
}

impl Default for AnalyzerParams {
    fn default() -> Self {
        AnalyzerParams {
            word_ngrams: (1, 2),
            char_ngrams: None,
            char_source: CharSource::Tokens,
            hashtags: Hashtags::Keep,
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

/// Reusable buffers for [`Analyzer::for_each_term`] and [`Analyzer::for_each_term_id`]. One
/// per thread; it may serve any number of analyzers and numberings.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The text with its hashtags split (`Hashtags::Split`).
    text: String,
    tokens: Tokens,
    term: String,
    chars: Vec<char>,
    memos: Vec<CharMemo>,
}

impl Scratch {
    /// The tokens of the text that this scratch last analysed ([`Analyzer::tokens`],
    /// [`Analyzer::for_each_term`], [`Analyzer::for_each_term_id`]), so that a caller that
    /// needs them after the terms does not tokenise the text again.
    pub fn last_tokens(&self) -> &Tokens {
        &self.tokens
    }
}

thread_local! {
    static THREAD_SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's own scratch, which lives as long as the thread, so that what
/// it remembers of words carries over from one call to the next (from one batch of articles
/// to the next, say). `f` must not call this function again.
pub fn with_thread_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    THREAD_SCRATCH.with_borrow_mut(f)
}

/// Numbers that tell term numberings apart, for [`Analyzer::for_each_term_id`].
static NUMBERINGS: AtomicU64 = AtomicU64::new(0);

/// A number no other term numbering of this process has: give one to each table that turns
/// terms into ids, and pass it to [`Analyzer::for_each_term_id`] with that table's lookup.
pub fn new_numbering() -> u64 {
    NUMBERINGS.fetch_add(1, Ordering::Relaxed)
}

/// The ids of the character n-grams of each word met, for one term numbering.
///
/// A news word yields about 25 character n-grams of 2-5 characters, and most words of a text
/// have been met before, so remembering a word's n-gram ids turns some 25 term lookups into
/// one. The memo forgets everything once it holds [`CharMemo::WORDS`] words or
/// [`CharMemo::IDS`] ids, so that its memory stays bounded however long the input.
#[derive(Debug)]
struct CharMemo {
    numbering: u64,
    words: FxHashMap<Box<str>, (u32, u32)>,
    ids: Vec<u32>,
}

impl CharMemo {
    const WORDS: usize = 1 << 15;
    const IDS: usize = 1 << 21;
    /// Numberings a scratch keeps memos for (one per model of a file with groups, say).
    const NUMBERINGS: usize = 8;

    /// Calls `f` with the remembered ids of `word`, first running `fill` to push them if the
    /// word is new.
    fn emit(&mut self, word: &str, fill: impl FnOnce(&mut Vec<u32>), f: &mut impl FnMut(u32)) {
        let (start, end) = match self.words.get(word) {
            Some(&range) => range,
            None => {
                if self.words.len() >= Self::WORDS || self.ids.len() >= Self::IDS {
                    self.words.clear();
                    self.ids.clear();
                }
                let start = self.ids.len() as u32;
                fill(&mut self.ids);
                let range = (start, self.ids.len() as u32);
                self.words.insert(word.into(), range);
                range
            }
        };
        for &id in &self.ids[start as usize..end as usize] {
            f(id);
        }
    }
}

impl Analyzer {
    /// The parameters this analyzer was built from.
    pub fn params(&self) -> &AnalyzerParams {
        &self.params
    }

    /// Calls `f` with every term of `text`, in order, repeats included.
    pub fn for_each_term(&self, text: &str, scratch: &mut Scratch, mut f: impl FnMut(&str)) {
        self.tokenize_into(text, &mut scratch.text, &mut scratch.tokens);
        self.word_ngrams(&scratch.tokens, &mut scratch.term, &mut f);
        if let Some(range) = self.params.char_ngrams {
            let (tokens, chars, term) = (&scratch.tokens, &mut scratch.chars, &mut scratch.term);
            self.for_each_char_source(tokens, |word| char_ngrams(word, range, chars, term, &mut f));
        }
    }

    /// The tokens of `text` (its hashtags split if the parameters say so), kept in `scratch`.
    pub fn tokens<'s>(&self, text: &str, scratch: &'s mut Scratch) -> &'s Tokens {
        self.tokenize_into(text, &mut scratch.text, &mut scratch.tokens);
        &scratch.tokens
    }

    /// Tokenises `text` into `tokens`, first splitting its hashtags into `split` if the
    /// parameters say so.
    fn tokenize_into(&self, text: &str, split: &mut String, tokens: &mut Tokens) {
        let text = match self.params.hashtags {
            Hashtags::Split if hashtags::split_into(text, split) => split.as_str(),
            _ => text,
        };
        self.tokenizer.tokenize_into(text, tokens);
    }

    /// Calls `f` with each string that character n-grams are taken from: every token, or
    /// every white-space-separated word (`char_source`).
    fn for_each_char_source<'t>(&self, tokens: &'t Tokens, f: impl FnMut(&'t str)) {
        match self.params.char_source {
            CharSource::Tokens => tokens.iter().for_each(f),
            CharSource::Words => tokens.words().for_each(f),
        }
    }

    /// Calls `f` with the id of every term of `text` that `id` knows, in the order of
    /// [`Analyzer::for_each_term`], repeats included. `numbering` names the numbering that
    /// `id` follows ([`new_numbering`]): the character n-gram ids of each word are looked up
    /// once and remembered in `scratch` under that name, so `id` must give the same answer
    /// for a term as long as the numbering is used.
    pub fn for_each_term_id(
        &self,
        text: &str,
        scratch: &mut Scratch,
        numbering: u64,
        mut id: impl FnMut(&str) -> Option<u32>,
        mut f: impl FnMut(u32),
    ) {
        self.tokenize_into(text, &mut scratch.text, &mut scratch.tokens);
        let Scratch {
            text: _,
            tokens,
            term,
            chars,
            memos,
        } = scratch;
        self.word_ngrams(tokens, term, &mut |t| {
            if let Some(i) = id(t) {
                f(i)
            }
        });
        let Some(range) = self.params.char_ngrams else {
            return;
        };
        let memo = match memos.iter().position(|m| m.numbering == numbering) {
            Some(i) => &mut memos[i],
            None => {
                if memos.len() >= CharMemo::NUMBERINGS {
                    memos.remove(0);
                }
                memos.push(CharMemo {
                    numbering,
                    words: FxHashMap::default(),
                    ids: Vec::new(),
                });
                memos.last_mut().expect("just pushed")
            }
        };
        self.for_each_char_source(tokens, |word| {
            let fill = |ids: &mut Vec<u32>| {
                char_ngrams(word, range, chars, term, &mut |t| ids.extend(id(t)));
            };
            memo.emit(word, fill, &mut f);
        });
    }

    /// Calls `f` with the word n-grams of `tokens`; `term` is a scratch buffer.
    fn word_ngrams(&self, tokens: &Tokens, term: &mut String, f: &mut impl FnMut(&str)) {
        let (lo, hi) = self.params.word_ngrams;
        for start in 0..tokens.len() {
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

    /// A numbering that gives each term a number in order of first request, or none at all
    /// for terms without `keep` in them.
    struct Numbering {
        keep: char,
        ids: std::collections::HashMap<String, u32>,
    }

    impl Numbering {
        fn new(keep: char) -> Self {
            Numbering {
                keep,
                ids: Default::default(),
            }
        }

        fn id(&mut self, term: &str) -> Option<u32> {
            if !term.contains(self.keep) {
                return None;
            }
            let next = self.ids.len() as u32;
            Some(*self.ids.entry(term.to_string()).or_insert(next))
        }
    }

    /// The ids `for_each_term_id` gives for `text`, and those of the terms `terms` gives.
    fn ids_and_terms_ids(
        a: &Analyzer,
        text: &str,
        scratch: &mut Scratch,
        name: u64,
        numbering: &mut Numbering,
    ) -> (Vec<u32>, Vec<u32>) {
        let mut got = Vec::new();
        a.for_each_term_id(text, scratch, name, |t| numbering.id(t), |i| got.push(i));
        // What the word-vector block reads after the terms: this text's tokens, not the
        // previous text's.
        let left: Vec<String> = scratch.last_tokens().iter().map(String::from).collect();
        let fresh: Vec<String> = a
            .tokens(text, &mut Scratch::default())
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(left, fresh, "tokens left in the scratch for {text}");
        let want = a
            .terms(text)
            .iter()
            .filter_map(|t| numbering.id(t))
            .collect();
        (got, want)
    }

    /// Through the memo of words, the ids are exactly those of the terms `for_each_term`
    /// gives, in the same order, whether a word is new or met before, and one scratch serves
    /// two numberings in turn without mixing them up.
    #[test]
    fn term_ids_match_the_terms_through_the_memo() {
        let kinds = [CharSource::Tokens, CharSource::Words]
            .into_iter()
            .flat_map(|s| [Hashtags::Keep, Hashtags::Split].map(|h| (s, h)));
        for (source, hashtags) in kinds {
            let a = AnalyzerParams {
                word_ngrams: (1, 2),
                char_ngrams: Some((2, 4)),
                char_source: source,
                hashtags,
            }
            .check()
            .unwrap();
            let texts = [
                "No troops, López!",
                "no troops #nowar",
                "#NoTroops for #López2016",
                "troops troops López",
                "Lopez said no.",
            ];
            let mut numberings = [
                (new_numbering(), Numbering::new('o')),
                (new_numbering(), Numbering::new(' ')),
            ];
            let mut scratch = Scratch::default();
            for round in 0..2 {
                for text in texts {
                    for (name, numbering) in numberings.iter_mut() {
                        let (got, want) =
                            ids_and_terms_ids(&a, text, &mut scratch, *name, numbering);
                        assert_eq!(got, want, "{source} {hashtags} round {round}: {text}");
                        assert!(!got.is_empty());
                    }
                }
            }
        }
    }

    /// Past its capacity the memo starts again, and the ids stay right.
    #[test]
    fn the_memo_of_words_is_bounded() {
        let a = analyzer((1, 1), Some((2, 3)));
        let many: String = (0..CharMemo::WORDS + 10)
            .map(|i| format!("w{i} "))
            .collect();
        let mut numbering = Numbering::new('w');
        let name = new_numbering();
        let mut scratch = Scratch::default();
        for text in [many.as_str(), "w1 w2 w3", many.as_str()] {
            let (got, want) = ids_and_terms_ids(&a, text, &mut scratch, name, &mut numbering);
            assert_eq!(got, want);
            assert!(scratch.memos[0].words.len() <= CharMemo::WORDS);
        }
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
                ..AnalyzerParams::default()
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

    /// Split hashtags add their words to the terms; kept ones do not, and text without a splittable tag gives the same terms.
    #[test]
    fn split_hashtags_add_their_words() {
        let with = |hashtags| {
            AnalyzerParams {
                word_ngrams: (1, 2),
                hashtags,
                ..AnalyzerParams::default()
            }
            .check()
            .unwrap()
        };
        let (keep, split) = (with(Hashtags::Keep), with(Hashtags::Split));
        assert_eq!(
            keep.terms("#NoWar now"),
            vec!["#", "# nowar", "nowar", "nowar now", "now"]
        );
        assert_eq!(
            split.terms("#NoWar now"),
            vec!["#", "# nowar", "nowar", "nowar no", "no", "no war", "war", "war now", "now"]
        );
        for text in ["#nowar now", "no tags"] {
            assert_eq!(keep.terms(text), split.terms(text));
        }
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
