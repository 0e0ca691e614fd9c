//! Text analysis: normalise, tokenise, and turn tokens into the terms the features count.
//!
//! The stages follow scikit-learn's analyzer: optionally [`hashtags`] (`#NoWar` followed by
//! `No War`, on the raw text because case marks the words) → [`normalize`] (lowercase, strip accents, so
//! "López" and "lopez" are one term) → [`tokenize`] (runs of word characters and runs of
//! punctuation) → [`ngrams`] (word n-grams and optional character n-grams inside tokens or
//! white-space-separated words).
//!
//! The normalisation is defined by the Hugging Face `tokenizers` crate ([`mod@reference`]) and
//! stored in the model file in its serialised form. Because that crate works on one string at
//! a time through several allocating passes (about 4 MB/s here), the hot path uses
//! [`tokenize::Tokenizer`], an equivalent single-pass tokeniser; a test over all training and
//! benchmark text shows that both give identical tokens.

pub mod hashtags;
pub mod ngrams;
pub mod normalize;
pub mod reference;
pub mod tokenize;

pub use hashtags::Hashtags;
pub use ngrams::{Analyzer, AnalyzerParams, CharSource};
pub use tokenize::{Tokenizer, Tokens};
