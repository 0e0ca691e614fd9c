//! Pretrained word vectors: a text's mean word vector as a block of dense features.
//!
//! TF-IDF knows only the words it was trained on, and a few hundred labelled paragraphs hold
//! few of the words that new articles use. Word vectors learnt from billions of words of
//! other text (GloVe, word2vec, fastText in their text formats) place related words near
//! each other, so the mean vector of a text's words carries its gist to words no labelled
//! paragraph held. The block is appended after the TF-IDF columns: the mean of the vectors
//! of the text's word tokens that the table knows, scaled to unit length and then by a
//! weight (`--vector-weight`). On training-data/paragraphs.csv (827 news paragraphs, 5-fold
//! CV, GloVe 6B 100d) it raised the best sentiment macro-F1 from 55.5 to 59.9.
//!
//! The table is stored in the model file, so a model predicts without the vectors file: each
//! vector as one byte per dimension and one scale per word (`scale × byte`, the scale being
//! the largest magnitude / 127), a quarter of `f32`'s room; the rounding moves a component
//! by at most half a scale step, far below what separates words.

use std::collections::hash_map::{Entry, HashMap};
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::normalize::normalize;

/// A table of word vectors, quantised to one byte per dimension.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "StoredVectors", into = "StoredVectors")]
pub struct WordVectors {
    dim: usize,
    /// The words in the file's order (normalised as the tokeniser normalises text).
    words: Vec<String>,
    /// Per word: the value of one step of its bytes.
    scales: Vec<f32>,
    /// `dim` bytes per word, end to end.
    values: Vec<i8>,
    index: HashMap<String, u32>,
}

/// The stored form: the bytes as base64 (a JSON array of numbers would be four times
/// longer and slower to read).
#[derive(Serialize, Deserialize)]
struct StoredVectors {
    dim: usize,
    words: Vec<String>,
    scales: Vec<f32>,
    values: String,
}

impl From<WordVectors> for StoredVectors {
    fn from(v: WordVectors) -> Self {
        use base64::Engine;
        let bytes: Vec<u8> = v.values.iter().map(|&b| b as u8).collect();
        StoredVectors {
            dim: v.dim,
            words: v.words,
            scales: v.scales,
            values: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

impl TryFrom<StoredVectors> for WordVectors {
    type Error = String;

    fn try_from(s: StoredVectors) -> std::result::Result<Self, String> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.values.as_bytes())
            .map_err(|e| format!("word vectors: {e}"))?;
        if s.dim == 0 || s.scales.len() != s.words.len() || bytes.len() != s.dim * s.words.len() {
            return Err(format!(
                "word vectors: {} words, {} scales and {} values do not make {}-dimensional vectors",
                s.words.len(),
                s.scales.len(),
                bytes.len(),
                s.dim
            ));
        }
        // Each scale is a vector's largest magnitude over 127: finite and never negative
        // (regression: an edited scale of -1e308 gave NaN probabilities with a label).
        if let Some(bad) = s.scales.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
            return Err(format!(
                "word vectors: a scale of {bad}; scales are finite and not negative"
            ));
        }
        Ok(WordVectors::new(
            s.dim,
            s.words,
            s.scales,
            bytes.into_iter().map(|b| b as i8).collect(),
        ))
    }
}

impl WordVectors {
    /// A table from its stored parts; a word stored twice keeps its first place, as when
    /// reading a vectors file.
    fn new(dim: usize, words: Vec<String>, scales: Vec<f32>, values: Vec<i8>) -> Self {
        let mut index = HashMap::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            index.entry(w.clone()).or_insert(i as u32);
        }
        WordVectors {
            dim,
            words,
            scales,
            values,
            index,
        }
    }

    /// Reads the first `max_words` words (all with `None`) of a vectors file in text form:
    /// one word per line followed by its values, separated by spaces (GloVe; word2vec's and
    /// fastText's `.vec` files, whose first line of two counts is skipped). Words are
    /// normalised as text is (lowercase, accents stripped); of two that become the same, the
    /// first is kept (files list frequent words first).
    pub fn read(path: &Path, max_words: Option<usize>) -> Result<WordVectors> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Self::from_reader(file, path, max_words, BLOCK_BYTES)
    }

    /// [`read`](Self::read) from any reader, taking it in blocks of about `block` bytes.
    fn from_reader(
        mut reader: impl Read,
        path: &Path,
        max_words: Option<usize>,
        block: usize,
    ) -> Result<WordVectors> {
        let (mut dim, mut words, mut scales, mut values) = (0, Vec::new(), Vec::new(), Vec::new());
        let mut index = HashMap::new();
        let enough = |words: &[String]| max_words.is_some_and(|m| words.len() >= m);
        let bad = |line: u64, e: LineError| match e {
            LineError::Utf8 => Error::InvalidUtf8 {
                path: path.into(),
                line,
            },
            LineError::Bad(message) => Error::Parse {
                path: path.into(),
                line,
                message,
            },
        };
        // Parsing the numbers is most of the cost, so the file is read in blocks of whole
        // lines and each block's lines are parsed on every core; the results are then taken
        // in file order, so which words are kept, and which error is reported, is as if the
        // file were read line by line.
        let mut buf: Vec<u8> = Vec::with_capacity(block + 4096);
        let mut first_line = 1;
        'reading: loop {
            // A read that fails ends the input; it is an error only if the words before it
            // do not already make `max_words`.
            let (at_end, unreadable) = fill(&mut reader, &mut buf, block);
            // Whole lines only; at the end of the input, the last line needs no newline.
            // A line cut off by a failed read is not taken.
            let after_last_newline = memchr::memrchr(b'\n', &buf).map(|p| p + 1);
            let cut = match (at_end, &unreadable, after_last_newline) {
                (true, None, _) => buf.len(),
                (true, Some(_), cut) => cut.unwrap_or(0),
                (false, _, Some(cut)) => cut,
                (false, _, None) => continue, // a line longer than a block: read on
            };
            let lines = whole_lines(&buf[..cut]);
            let parsed: Vec<Option<std::result::Result<Parsed, LineError>>> = lines
                .par_iter()
                .enumerate()
                .map_init(Vec::new, |row, (k, line)| {
                    parse_line(line, first_line + k == 1, row)
                })
                .collect();
            for (k, parsed) in parsed.into_iter().enumerate() {
                let line_no = (first_line + k) as u64;
                if enough(&words) {
                    break 'reading;
                }
                let Some(parsed) = parsed else { continue };
                let Parsed { word, scale, bytes } = parsed.map_err(|e| bad(line_no, e))?;
                if dim == 0 {
                    dim = bytes.len();
                } else if bytes.len() != dim {
                    return Err(bad(
                        line_no,
                        LineError::Bad(format!(
                            "`{word}` has {} values where the first vector had {dim}; every vector needs the same length",
                            bytes.len()
                        )),
                    ));
                }
                match index.entry(word) {
                    Entry::Occupied(_) => continue,
                    Entry::Vacant(e) => {
                        words.push(e.key().clone());
                        e.insert(words.len() as u32 - 1);
                    }
                }
                scales.push(scale);
                values.extend(bytes);
            }
            first_line += lines.len();
            if let Some(e) = unreadable {
                if enough(&words) {
                    break;
                }
                return Err(Error::io(path, e));
            }
            if at_end {
                break;
            }
            buf.drain(..cut);
        }
        if words.is_empty() {
            return Err(Error::NoInput(format!(
                "{}: no word vectors in the file",
                path.display()
            )));
        }
        Ok(WordVectors {
            dim,
            words,
            scales,
            values,
            index,
        })
    }

    /// The table of its first `n` words (all of them when it has no more), as reading only
    /// `n` words of the file it came from would have made it.
    pub fn first(&self, n: usize) -> WordVectors {
        let n = n.min(self.len());
        WordVectors::new(
            self.dim,
            self.words[..n].to_vec(),
            self.scales[..n].to_vec(),
            self.values[..n * self.dim].to_vec(),
        )
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the table is empty (never, once read).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Adds the vector of `word` (normalised) to `sum` and returns true, if the table has it.
    fn add_to(&self, word: &str, sum: &mut [f64]) -> bool {
        let Some(&i) = self.index.get(word) else {
            return false;
        };
        let i = i as usize;
        let scale = self.scales[i] as f64;
        let bytes = &self.values[i * self.dim..(i + 1) * self.dim];
        for (s, &b) in sum.iter_mut().zip(bytes) {
            *s += scale * b as f64;
        }
        true
    }

    /// The vector of `word` (normalised), if the table has it.
    pub fn get(&self, word: &str) -> Option<Vec<f64>> {
        let mut v = vec![0.0; self.dim];
        self.add_to(word, &mut v).then_some(v)
    }

    /// Writes into `out` (`dim` long) the mean vector of `tokens`' words (tokens that start
    /// with a letter or digit; punctuation has vectors in most files but says little) that
    /// the table knows, scaled to length `weight`; zeros when it knows none.
    pub fn text_vector<'a>(
        &self,
        tokens: impl IntoIterator<Item = &'a str>,
        weight: f64,
        out: &mut [f64],
    ) {
        out.iter_mut().for_each(|v| *v = 0.0);
        for t in tokens {
            if t.chars().next().is_some_and(char::is_alphanumeric) {
                self.add_to(t, out);
            }
        }
        // The mean's direction is the sum's, and the length is set here.
        let norm = out.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            out.iter_mut().for_each(|v| *v *= weight / norm);
        }
    }
}

/// Bytes of a vectors file read, and then parsed, together: about 1,200 lines of 100
/// dimensions, enough to share among the cores.
const BLOCK_BYTES: usize = 1 << 20;

/// Reads into `buf` at least once, and on until it holds at least `block` bytes or the input
/// ends (at least once, so that a line longer than a block is read on to its end). Returns
/// whether the input ended, and the error that stopped the reading, if one did.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, block: usize) -> (bool, Option<std::io::Error>) {
    let mut first = true;
    while first || buf.len() < block {
        first = false;
        let start = buf.len();
        buf.resize(start + block.saturating_sub(start).max(4096), 0);
        match reader.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return (true, None);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return (true, Some(e));
            }
        }
    }
    (false, None)
}

/// The lines of `text`, each with its newline (the last one may lack it).
fn whole_lines(text: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::with_capacity(text.len() / 256 + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text) {
        lines.push(&text[start..=end]);
        start = end + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// One line of a vectors file: its word, normalised, and its vector quantised.
struct Parsed {
    word: String,
    scale: f32,
    bytes: Vec<i8>,
}

/// What is wrong with a line.
enum LineError {
    /// It is not UTF-8.
    Utf8,
    /// What to tell the user.
    Bad(String),
}

/// Parses one line (the file's first when `first`; `row` is room for its values): `None` for
/// a word2vec / fastText header (word count and dimension), else the word and its vector or
/// what is wrong with them.
fn parse_line(
    line: &[u8],
    first: bool,
    row: &mut Vec<f32>,
) -> Option<std::result::Result<Parsed, LineError>> {
    let Ok(line) = std::str::from_utf8(line) else {
        return Some(Err(LineError::Utf8));
    };
    let line = line.trim_end_matches(['\n', '\r']);
    if first && line.split(' ').count() == 2 && line.split(' ').all(is_count) {
        return None;
    }
    let line = line.trim_end();
    // Split as bytes: a space is one byte in UTF-8, and this is the hot loop of reading.
    let mut fields = line.as_bytes().split(|&b| b == b' ');
    let word = &line[..fields.next().map_or(0, <[u8]>::len)];
    if word.is_empty() {
        return Some(Err(LineError::Bad(
            "a line without a word; give a vectors file in text form (`word 0.1 0.2 ...` per line)"
                .into(),
        )));
    }
    row.clear();
    for (column, field) in fields.enumerate() {
        match parse_f32(field) {
            Some(v) if v.is_finite() => row.push(v),
            _ => {
                return Some(Err(LineError::Bad(format!(
                    "value {} of `{word}` is `{}`, not a finite number",
                    column + 1,
                    String::from_utf8_lossy(field)
                ))))
            }
        }
    }
    if row.is_empty() {
        return Some(Err(LineError::Bad(format!("`{word}` has no values"))));
    }
    let (scale, bytes) = quantise(row);
    Some(Ok(Parsed {
        word: normalize(word),
        scale,
        bytes,
    }))
}

/// `s` as an `f32`, the same value as `s.parse::<f32>().ok()` gives. Vectors files write
/// short decimals (`-0.038194`), and for those it is one exact integer divided or multiplied
/// by an exact power of ten: a single IEEE operation, so rounded once and correctly, as the
/// standard parser rounds (Clinger's fast path). Anything else goes to the standard parser.
fn parse_f32(b: &[u8]) -> Option<f32> {
    /// Powers of ten that `f32` holds exactly (5^10 < 2^24).
    const POW10: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
    /// Integers up to this are exact in `f32`.
    const EXACT: u32 = 1 << 24;
    let slow = || std::str::from_utf8(b).ok()?.parse::<f32>().ok();
    let (negative, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let (mut mantissa, mut digits, mut after_point, mut point) = (0u32, 0usize, 0i32, false);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            d @ b'0'..=b'9' => {
                mantissa = mantissa * 10 + u32::from(d - b'0');
                if mantissa > EXACT {
                    return slow();
                }
                digits += 1;
                after_point += i32::from(point);
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return slow();
    }
    let mut exponent = -after_point;
    if i < b.len() {
        if !matches!(b[i], b'e' | b'E') {
            return slow();
        }
        let e = &b[i + 1..];
        let (sign, e) = match e.first() {
            Some(b'-') => (-1, &e[1..]),
            Some(b'+') => (1, &e[1..]),
            _ => (1, e),
        };
        if e.is_empty() || e.len() > 3 || !e.iter().all(u8::is_ascii_digit) {
            return slow();
        }
        let e: i32 = e.iter().fold(0, |n, &d| n * 10 + i32::from(d - b'0'));
        exponent += sign * e;
    }
    let Some(&power) = POW10.get(exponent.unsigned_abs() as usize) else {
        return slow();
    };
    let m = mantissa as f32;
    let v = if exponent < 0 { m / power } else { m * power };
    Some(if negative { -v } else { v })
}

/// Whether a header field is a count.
fn is_count(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// One byte per value and the value of one step: the largest magnitude maps to ±127.
fn quantise(row: &[f32]) -> (f32, Vec<i8>) {
    let max = row.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if max == 0.0 {
        return (0.0, vec![0; row.len()]);
    }
    let scale = max / 127.0;
    (
        scale,
        row.iter().map(|v| (v / scale).round() as i8).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn read(text: &str, max: Option<usize>) -> Result<WordVectors> {
        // A small block, so that tests cross the blocks' bounds.
        WordVectors::from_reader(text.as_bytes(), Path::new("v.txt"), max, 16)
    }

    #[test]
    fn reads_glove_text_and_keeps_values_within_half_a_step() {
        let v = read("the 0.5 -1.27\nWar 2.54 0\n", None).unwrap();
        assert_eq!((v.dim(), v.len()), (2, 2));
        // Largest magnitude 1.27 → step 0.01: 0.5 is 50 steps exactly.
        let the = v.get("the").unwrap();
        assert_abs_diff_eq!(the[0], 0.5, epsilon = 0.005 + 1e-6);
        assert_abs_diff_eq!(the[1], -1.27, epsilon = 1e-6);
        // Words are normalised as text is: `War` is found as `war`.
        assert_abs_diff_eq!(v.get("war").unwrap()[0], 2.54, epsilon = 1e-6);
        assert!(v.get("War").is_none() && v.get("peace").is_none());
    }

    #[test]
    fn skips_a_word2vec_header_and_stops_at_max_words() {
        let v = read("3 2\na 1 0\nb 0 1\nc 1 1\n", Some(2)).unwrap();
        assert_eq!(v.len(), 2);
        assert!(v.get("c").is_none());
        // Of two words that normalise alike, the first (more frequent) is kept.
        let v = read("us 1 0\nUS 0 1\n", None).unwrap();
        assert_eq!(v.len(), 1);
        assert_abs_diff_eq!(v.get("us").unwrap()[0], 1.0, epsilon = 1e-6);
        assert_eq!(v.get("us").unwrap()[1], 0.0);
    }

    #[test]
    fn rejects_ragged_and_non_numeric_lines_with_their_line() {
        let err = read("a 1 2\nb 1\n", None).unwrap_err().to_string();
        assert!(
            err.contains("v.txt:2") && err.contains("1 values") && err.contains("2"),
            "{err}"
        );
        let err = read("a 1 x\n", None).unwrap_err().to_string();
        assert!(err.contains("v.txt:1") && err.contains("`x`"), "{err}");
        let err = read("a 1 inf\n", None).unwrap_err().to_string();
        assert!(err.contains("finite"), "{err}");
        assert!(read("", None).is_err());
    }

    /// Blocks are parsed in parallel, but a file spanning many blocks reads as if line by
    /// line: the words in order, duplicates dropped, and a bad line past `max_words` (in the
    /// same block or a later one) never reached; the block size changes nothing.
    #[test]
    fn blocks_read_as_one_pass_in_file_order() {
        let n = 3000;
        let mut text: String = (0..n).map(|i| format!("w{i} {i} 1\n")).collect();
        text.push_str("dup 1 1\nDUP 2 2\nbad 1 x\n");
        for block in [1, 7, 4096, BLOCK_BYTES] {
            let at =
                |max| WordVectors::from_reader(text.as_bytes(), Path::new("v.txt"), max, block);
            let err = at(None).unwrap_err().to_string();
            assert!(err.contains(&format!("v.txt:{}:", n + 3)), "{block}: {err}");
            let v = at(Some(n + 1)).unwrap();
            assert_eq!(v.len(), n + 1);
            assert_eq!(v.words[2047], "w2047");
            assert_abs_diff_eq!(v.get("w2999").unwrap()[0], 2999.0, epsilon = 12.0);
            assert_abs_diff_eq!(v.get("dup").unwrap()[0], 1.0, epsilon = 1e-6);
            assert!(v.get("bad").is_none());
        }
        // Invalid UTF-8: an error with its line, unless the words asked for come first.
        let mut bytes = b"a 1 0\nb 0 1\n".to_vec();
        bytes.extend(b"\xff 1 1\n");
        let err = WordVectors::from_reader(&bytes[..], Path::new("v.txt"), None, 4)
            .unwrap_err()
            .to_string();
        assert!(err.contains("v.txt:3: invalid UTF-8"), "{err}");
        let v = WordVectors::from_reader(&bytes[..], Path::new("v.txt"), Some(2), 4).unwrap();
        assert_eq!(v.len(), 2);
        // The last line needs no newline, and a Windows line end is one.
        let v = read("a 1 0\r\nb 0 1", None).unwrap();
        assert_abs_diff_eq!(v.get("b").unwrap()[1], 1.0, epsilon = 1e-6);
        assert_abs_diff_eq!(v.get("a").unwrap()[0], 1.0, epsilon = 1e-6);
    }

    /// A reader that gives `good` and then fails.
    struct Failing<'a> {
        good: &'a [u8],
    }

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.good.is_empty() {
                return Err(std::io::Error::other("disk gone"));
            }
            let n = self.good.len().min(buf.len()).min(5);
            buf[..n].copy_from_slice(&self.good[..n]);
            self.good = &self.good[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_failed_read_is_an_error_unless_the_words_asked_for_came_first() {
        let good = b"a 1 0\nb 0 1\nc 1 1"; // the last line cut off by the failure
        let err = WordVectors::from_reader(Failing { good }, Path::new("v.txt"), None, 8)
            .unwrap_err()
            .to_string();
        assert!(err.contains("v.txt") && err.contains("disk gone"), "{err}");
        let v = WordVectors::from_reader(Failing { good }, Path::new("v.txt"), Some(2), 8).unwrap();
        assert_eq!(v.len(), 2);
        // `c`'s line never ended, so it is not taken as a word.
        let err = WordVectors::from_reader(Failing { good }, Path::new("v.txt"), Some(3), 1 << 10)
            .unwrap_err()
            .to_string();
        assert!(err.contains("disk gone"), "{err}");
    }

    /// The fast parser gives the standard parser's value, bit for bit, on what vectors files
    /// hold and on what they should not.
    #[test]
    fn parse_f32_is_the_standard_parse() {
        let same = |s: &str| {
            assert_eq!(
                parse_f32(s.as_bytes()).map(f32::to_bits),
                s.parse::<f32>().ok().map(f32::to_bits),
                "`{s}`"
            )
        };
        for s in [
            "0",
            "-0",
            "+0",
            "1",
            "-0.038194",
            "0.72812",
            "16777216",
            "16777217",
            "1.",
            ".5",
            ".",
            "-",
            "",
            "1e5",
            "1E-05",
            "2.5e+3",
            "1e",
            "1e+",
            "e5",
            "1e1000",
            "1e-1000",
            "0.000000000001",
            "123456789",
            "1.5x",
            "1..5",
            "inf",
            "-infinity",
            "NaN",
            "0.1",
            "0.2",
            "0.3",
            "3.4028235e38",
            "1e-45",
            "9999999e10",
            "1_0",
            " 1",
        ] {
            same(s);
        }
        // Decimals of every length and exponent near the fast path's bounds: a xorshift
        // stream, so the test is the same on every run.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let r = next();
            let digits = 1 + (r % 10) as usize;
            let mantissa = next() % 10u64.pow(digits as u32);
            let text = format!("{mantissa:0digits$}");
            let point = (next() % (digits as u64 + 1)) as usize;
            let sign = ["", "-", "+"][(r >> 8) as usize % 3];
            let exp = match (r >> 16) % 4 {
                0 => String::new(),
                _ => format!("e{}", (r >> 24) as i64 % 25 - 12),
            };
            same(&format!("{sign}{}.{}{exp}", &text[..point], &text[point..]));
            same(&format!("{sign}{text}{exp}"));
        }
    }

    #[test]
    fn text_vector_is_the_unit_mean_of_known_words_times_the_weight() {
        let v = read("a 1 0\nb 0 1\n, 5 5\n", None).unwrap();
        let mut out = [0.0; 2];
        // a + b + a (unknown `zz` and punctuation left out) = (2, 1); length √5; weight 2.
        v.text_vector(["a", "zz", ",", "b", "a"], 2.0, &mut out);
        assert_abs_diff_eq!(out[0], 4.0 / 5f64.sqrt(), epsilon = 1e-12);
        assert_abs_diff_eq!(out[1], 2.0 / 5f64.sqrt(), epsilon = 1e-12);
        v.text_vector(["zz"], 2.0, &mut out);
        assert_eq!(out, [0.0, 0.0]);
    }

    #[test]
    fn stored_form_round_trips_and_rejects_a_short_table() {
        let v = read("a 0.3 -0.7\nb 0.1 0.2\n", None).unwrap();
        let json = serde_json::to_string(&v).unwrap();
        let back: WordVectors = serde_json::from_str(&json).unwrap();
        assert_eq!(back.get("a"), v.get("a"));
        assert_eq!(back.get("b"), v.get("b"));
        let short = json.replace("\"dim\":2", "\"dim\":3");
        assert!(serde_json::from_str::<WordVectors>(&short).is_err());
    }
}
