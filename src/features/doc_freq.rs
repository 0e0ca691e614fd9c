//! A document-frequency bound given as a count of documents or as a fraction of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A bound on how many documents a term appears in: `2` means two documents, `0.5` half of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocFreq {
    /// An absolute number of documents.
    Count(usize),
    /// A fraction of the documents, in [0, 1].
    Fraction(f64),
}

impl DocFreq {
    /// The bound as a number of documents out of `n`. A fractional minimum rounds up and a
    /// fractional maximum rounds down, so that `min_df=0.5` of 3 documents means 2.
    pub fn resolve(self, n: usize, is_min: bool) -> usize {
        match self {
            DocFreq::Count(c) => c,
            DocFreq::Fraction(f) => {
                let x = f * n as f64;
                if is_min {
                    x.ceil() as usize
                } else {
                    x.floor() as usize
                }
            }
        }
    }

    /// Checks that a fraction lies in [0, 1].
    pub fn is_valid(self) -> bool {
        match self {
            DocFreq::Count(_) => true,
            DocFreq::Fraction(f) => (0.0..=1.0).contains(&f),
        }
    }
}

impl FromStr for DocFreq {
    type Err = String;

    /// Whole numbers are counts, numbers with a decimal point are fractions (`1.0` = all).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.contains('.') || s.contains('e') {
            let f: f64 = s
                .parse()
                .map_err(|_| format!("`{s}` is neither a count nor a fraction"))?;
            if !(0.0..=1.0).contains(&f) {
                return Err(format!("fraction `{s}` must be between 0.0 and 1.0"));
            }
            Ok(DocFreq::Fraction(f))
        } else {
            s.parse()
                .map(DocFreq::Count)
                .map_err(|_| format!("`{s}` is neither a count nor a fraction"))
        }
    }
}

impl fmt::Display for DocFreq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocFreq::Count(c) => write!(f, "{c}"),
            DocFreq::Fraction(x) => write!(f, "{x:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_counts_and_fractions() {
        assert_eq!("2".parse::<DocFreq>(), Ok(DocFreq::Count(2)));
        assert_eq!("0.5".parse::<DocFreq>(), Ok(DocFreq::Fraction(0.5)));
        assert_eq!("1.0".parse::<DocFreq>(), Ok(DocFreq::Fraction(1.0)));
        assert!("1.5".parse::<DocFreq>().is_err());
        assert!("-1".parse::<DocFreq>().is_err());
        assert!("many".parse::<DocFreq>().is_err());
    }

    #[test]
    fn resolves_against_document_count() {
        assert_eq!(DocFreq::Fraction(0.5).resolve(3, true), 2);
        assert_eq!(DocFreq::Fraction(0.5).resolve(3, false), 1);
        assert_eq!(DocFreq::Count(4).resolve(3, true), 4);
    }
}
