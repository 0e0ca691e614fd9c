//! Hashtag splitting: `#StopHillary2016` is followed by the words it packs, `Stop Hillary 2016`.
//!
//! Tweets pack whole phrases into hashtags, and a packed phrase is one token that the
//! training rows may never show again, while its words are common. Case changes and digits
//! mark the word boundaries (`#HTMLParser` → `HTML Parser`, `#Vote4Change` → `Vote 4 Change`);
//! a tag without such a mark (`#prolife`) stays as it is, because splitting it would need a
//! dictionary. The hashtag itself is kept, so its own token and character n-grams still count.
//! This runs on the raw text, before normalisation, because normalisation lowercases the case
//! that marks the boundaries; the normalisation and tokenisation that follow are unchanged.

use serde::{Deserialize, Serialize};

/// What happens to hashtags before normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hashtags {
    /// Left as they are (default).
    #[default]
    Keep,
    /// Each hashtag of two or more words is followed by those words.
    Split,
}

impl Hashtags {
    /// Whether this is the default (which model files leave out).
    pub fn is_keep(&self) -> bool {
        *self == Hashtags::Keep
    }
}

impl std::str::FromStr for Hashtags {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "keep" => Ok(Hashtags::Keep),
            "split" => Ok(Hashtags::Split),
            _ => Err(format!(
                "`{s}` is not a hashtag treatment; use keep or split"
            )),
        }
    }
}

impl std::fmt::Display for Hashtags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Hashtags::Keep => "keep",
            Hashtags::Split => "split",
        })
    }
}

/// Writes `text` to `out` with each hashtag of two or more words followed by a space and its
/// words, separated by spaces. Returns false, leaving `out` empty, when no hashtag splits (the
/// text stands as it is, and the caller need not copy it).
pub fn split_into(text: &str, out: &mut String) -> bool {
    out.clear();
    // Bytes of `text` already written to `out`.
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find('#') {
        let start = from + at + 1;
        let end = text[start..]
            .char_indices()
            .find(|&(_, c)| !is_tag_char(c))
            .map_or(text.len(), |(i, _)| start + i);
        let tag = &text[start..end];
        // Counted first, so that text before a tag that stays is copied once, not again for
        // every such tag.
        let mut words = 0;
        for_each_word(tag, |_| words += 1);
        if words >= 2 {
            out.push_str(&text[copied..end]);
            for_each_word(tag, |w| {
                out.push(' ');
                out.push_str(w);
            });
            copied = end;
        }
        from = end;
    }
    if copied == 0 {
        out.clear();
        return false;
    }
    out.push_str(&text[copied..]);
    true
}

/// Characters a hashtag runs over: letters, digits and the underscore.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Upper,
    /// Lowercase, and letters without case.
    Lower,
    Digit,
    /// The underscore: a boundary that is no word.
    Other,
}

fn kind(c: char) -> Kind {
    if c.is_uppercase() {
        Kind::Upper
    } else if c.is_alphabetic() {
        Kind::Lower
    } else if c.is_numeric() {
        Kind::Digit
    } else {
        Kind::Other
    }
}

/// Calls `f` with each word of `tag` (without its `#`): a run of digits, a run of lowercase
/// letters with at most one capital before it, or a run of capitals not followed by a
/// lowercase letter (the last capital of `HTMLParser` starts `Parser`).
fn for_each_word<'a>(tag: &'a str, mut f: impl FnMut(&'a str)) {
    let chars: Vec<(usize, Kind)> = tag.char_indices().map(|(i, c)| (i, kind(c))).collect();
    let at = |i: usize| chars.get(i).map_or(tag.len(), |&(b, _)| b);
    let is = |i: usize, k: Kind| chars.get(i).is_some_and(|&(_, x)| x == k);
    let run = |mut i: usize, k: Kind| {
        while is(i, k) {
            i += 1;
        }
        i
    };
    let mut i = 0;
    while i < chars.len() {
        let end = match chars[i].1 {
            Kind::Other => {
                i += 1;
                continue;
            }
            Kind::Digit => run(i, Kind::Digit),
            Kind::Lower => run(i, Kind::Lower),
            Kind::Upper => {
                let caps = run(i, Kind::Upper);
                if !is(caps, Kind::Lower) {
                    caps
                } else if caps - i > 1 {
                    caps - 1
                } else {
                    run(caps, Kind::Lower)
                }
            }
        };
        f(&tag[at(i)..at(end)]);
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Option<String> {
        let mut out = String::from("left over");
        split_into(text, &mut out)
            .then_some(out.clone())
            .or_else(|| {
                assert!(out.is_empty(), "{text:?} left {out:?}");
                None
            })
    }

    fn words(tag: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_word(tag, |w| out.push(w));
        out
    }

    #[test]
    fn words_break_at_case_changes_and_digits() {
        assert_eq!(words("StopHillary2016"), ["Stop", "Hillary", "2016"]);
        assert_eq!(words("HTMLParser"), ["HTML", "Parser"]);
        assert_eq!(words("Vote4Change"), ["Vote", "4", "Change"]);
        assert_eq!(words("SemST"), ["Sem", "ST"]);
        assert_eq!(words("iPhone"), ["i", "Phone"]);
        assert_eq!(words("no_war_NOW"), ["no", "war", "NOW"]);
        assert_eq!(words("ÉtatDeSiège"), ["État", "De", "Siège"]);
        assert_eq!(words("prolife"), ["prolife"]);
        assert_eq!(words("USA"), ["USA"]);
        assert_eq!(words("__"), Vec::<&str>::new());
    }

    #[test]
    fn hashtags_of_several_words_are_followed_by_them() {
        assert_eq!(
            split("Vote! #StopHillary2016 now #SemST").as_deref(),
            Some("Vote! #StopHillary2016 Stop Hillary 2016 now #SemST Sem ST")
        );
        // One-word tags stay, and so does the text around a tag that splits.
        assert_eq!(
            split("#prolife and #ProChoice, #life").as_deref(),
            Some("#prolife and #ProChoice Pro Choice, #life")
        );
        assert_eq!(split("a#NoWar").as_deref(), Some("a#NoWar No War"));
        assert_eq!(split("##NoWar").as_deref(), Some("##NoWar No War"));
    }

    #[test]
    fn text_without_a_tag_that_splits_is_left_alone() {
        for text in [
            "",
            "#",
            "# War",
            "no tags here",
            "#prolife #USA #2016",
            "end #",
        ] {
            assert_eq!(split(text), None, "{text:?}");
        }
    }

    #[test]
    fn names_parse_and_print() {
        for h in [Hashtags::Keep, Hashtags::Split] {
            assert_eq!(h.to_string().parse::<Hashtags>(), Ok(h));
        }
        assert!("cut"
            .parse::<Hashtags>()
            .unwrap_err()
            .contains("keep or split"));
        assert!(Hashtags::default().is_keep());
    }
}
