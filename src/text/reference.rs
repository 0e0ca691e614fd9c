//! The normalisation and pre-tokenisation as defined with the `tokenizers` crate.
//!
//! This is the specification that [`super::tokenize::Tokenizer`] implements quickly: a
//! normaliser sequence `NFD → StripAccents → Lowercase` and the `Whitespace` pre-tokeniser
//! (`\w+|[^\w\s]+`). The model file stores [`normalizer_spec`] so that a reader of the file
//! knows exactly which normalisation produced its vocabulary.

use tokenizers::normalizers::{Lowercase, Sequence, StripAccents, NFD};
use tokenizers::pre_tokenizers::whitespace::{Whitespace, WhitespaceSplit};
use tokenizers::{
    NormalizedString, Normalizer, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer,
};

/// The normaliser sequence used by every model.
pub fn normalizer() -> Sequence {
    Sequence::new(vec![NFD.into(), StripAccents.into(), Lowercase.into()])
}

/// The `tokenizers` JSON form of the normaliser and pre-tokeniser, stored in model files.
pub fn normalizer_spec() -> serde_json::Value {
    serde_json::json!({
        "normalizer": serde_json::to_value(normalizer()).unwrap_or(serde_json::Value::Null),
        "pre_tokenizer": serde_json::to_value(Whitespace).unwrap_or(serde_json::Value::Null),
    })
}

/// Tokens of `text` computed through the `tokenizers` crate (slow; the reference).
pub fn tokens(text: &str) -> Vec<String> {
    splits(text, &Whitespace)
}

/// The white-space-separated words of the normalised `text`, through the `tokenizers` crate
/// (its `WhitespaceSplit` pre-tokeniser): what [`super::tokenize::Tokens::words`] must give.
pub fn words(text: &str) -> Vec<String> {
    splits(text, &WhitespaceSplit)
}

/// The pieces `pre_tokenizer` cuts the normalised `text` into.
fn splits(text: &str, pre_tokenizer: &impl PreTokenizer) -> Vec<String> {
    let mut normalized = NormalizedString::from(text);
    if normalizer().normalize(&mut normalized).is_err() {
        return Vec::new();
    }
    let mut pre = PreTokenizedString::from(normalized);
    if pre_tokenizer.pre_tokenize(&mut pre).is_err() {
        return Vec::new();
    }
    pre.get_splits(OffsetReferential::Normalized, OffsetType::Byte)
        .into_iter()
        .map(|(s, _, _)| s.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_punctuation() {
        assert_eq!(
            tokens("Sheinbaum: \"No!\" López's U.S. plan"),
            vec![
                "sheinbaum",
                ":",
                "\"",
                "no",
                "!\"",
                "lopez",
                "'",
                "s",
                "u",
                ".",
                "s",
                ".",
                "plan"
            ]
        );
    }

    #[test]
    fn spec_names_every_step() {
        let spec = normalizer_spec().to_string();
        for step in ["NFD", "StripAccents", "Lowercase", "Whitespace"] {
            assert!(spec.contains(step), "{spec}");
        }
    }
}
