//! The TF-IDF vectorizer: options, fitting (vocabulary + idf) and transforming to CSR.
//!
//! Weights follow scikit-learn's `TfidfVectorizer` so that figures can be compared: tf is the
//! raw count (or `1 + ln(count)` with sublinear tf), idf is `ln((1 + n) / (1 + df)) + 1` with
//! smoothing or `ln(n / df) + 1` without, and each row is scaled to unit L2 norm. With
//! character n-grams the norm can instead be taken per part, the word part and the character
//! part each scaled to unit length, as scikit-learn's `FeatureUnion` of a word and a `char_wb`
//! `TfidfVectorizer` does. Neither is better everywhere: per part scored 1.0-1.4 points of
//! 5-fold CV macro-F1 higher on NewsMTSC sentiment, the whole row 1-2 points of stance
//! macro-F1 higher on training-data/paragraphs.csv; `stance tune` searches both.

use hashbrown::HashTable;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::{CsMat, CsMatI, SpIndex};

use std::sync::Arc;

use super::terms::{self, ChunkTerms};
use super::vectors::WordVectors;
use super::DocFreq;
use crate::error::{Error, Result};
use crate::parallel::{cut_pairs, starts_of};
use crate::text::ngrams::{new_numbering, Scratch, CHAR_PREFIX};
use crate::text::{Analyzer, AnalyzerParams, Tokens};

/// TF-IDF options. Defaults: words 1-2, no character n-grams, min_df 1, max_df 1.0,
/// no max_features, sublinear tf off, smooth idf on, L2 norm on, over the whole row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfParams {
    /// How text becomes terms.
    pub analyzer: AnalyzerParams,
    /// Drop terms found in fewer documents than this (default 1).
    pub min_df: DocFreq,
    /// Drop terms found in more documents than this (default 1.0 = keep all).
    pub max_df: DocFreq,
    /// Keep only the most frequent terms over the corpus (default: all).
    pub max_features: Option<usize>,
    /// Use `1 + ln(tf)` instead of the raw count (default off).
    pub sublinear_tf: bool,
    /// Add one to document frequencies, as if one extra document held every term (default on).
    pub smooth_idf: bool,
    /// Scale every row to unit Euclidean length (default on).
    pub l2_norm: bool,
    /// Count a term once however often it occurs, like scikit-learn's `binary=True` (default off).
    #[serde(default)]
    pub binary_tf: bool,
    /// With `l2_norm` and character n-grams, scale the word part and the character part of
    /// each row to unit length separately instead of the whole row (default off; model files
    /// of format version 1 lack the field and were made with the whole-row norm).
    #[serde(default)]
    pub norm_per_part: bool,
    /// Append each text's mean pretrained word vector after the TF-IDF columns (default:
    /// none; model files before format version 6 have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vectors: Option<VectorParams>,
}

/// The word-vector block's options, and while fitting, its table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VectorParams {
    /// The block's length relative to the TF-IDF part's unit length (default 1.0).
    pub weight: f64,
    /// Length of the vectors (the block's columns).
    pub dim: usize,
    /// Words in the table.
    pub words: usize,
    /// The table: given for fitting; a model file stores it once for all its vectorizers,
    /// and loading gives it back to each (`TfidfVectorizer::attach_vectors`).
    #[serde(skip)]
    pub table: Option<Arc<WordVectors>>,
}

impl VectorParams {
    /// Options for `table` with `weight`.
    pub fn new(table: Arc<WordVectors>, weight: f64) -> VectorParams {
        VectorParams {
            weight,
            dim: table.dim(),
            words: table.len(),
            table: Some(table),
        }
    }
}

/// Options are equal when they say the same; the table is data, named by its size.
impl PartialEq for VectorParams {
    fn eq(&self, other: &Self) -> bool {
        (self.weight, self.dim, self.words) == (other.weight, other.dim, other.words)
    }
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            analyzer: AnalyzerParams::default(),
            min_df: DocFreq::Count(1),
            max_df: DocFreq::Fraction(1.0),
            max_features: None,
            sublinear_tf: false,
            smooth_idf: true,
            l2_norm: true,
            binary_tf: false,
            norm_per_part: false,
            vectors: None,
        }
    }
}

/// Largest `--vector-weight`: the word-vector part of a row against the TF-IDF part's
/// length 1. Beyond it the TF-IDF features would count for nothing, and far beyond it
/// (1e50) the values overflow the matrix's `f32` and the fit ends in infinities.
pub const MAX_VECTOR_WEIGHT: f64 = 1000.0;

impl TfidfParams {
    /// Checks every option; called before any fitting.
    pub fn check(&self) -> Result<Analyzer> {
        for (name, df) in [("--min-df", self.min_df), ("--max-df", self.max_df)] {
            if !df.is_valid() {
                return Err(Error::param(name, format!("{df} is not in [0.0, 1.0]")));
            }
        }
        if self.max_features == Some(0) {
            return Err(Error::param("--max-features", "must be at least 1"));
        }
        if let Some(v) = &self.vectors {
            if !(v.weight.is_finite() && v.weight > 0.0) {
                return Err(Error::param(
                    "--vector-weight",
                    format!("{} is not a positive number", v.weight),
                ));
            }
            if v.weight > MAX_VECTOR_WEIGHT {
                return Err(Error::param(
                    "--vector-weight",
                    format!(
                        "{} would drown the TF-IDF part (length 1); use at most {MAX_VECTOR_WEIGHT}",
                        v.weight
                    ),
                ));
            }
        }
        self.analyzer.clone().check()
    }

    /// Whether rows are scaled to unit length per part (words, characters).
    fn norms_per_part(&self) -> bool {
        self.l2_norm && self.norm_per_part && self.analyzer.char_ngrams.is_some()
    }

    /// Learns the vocabulary and idf from `docs` and returns them with the docs' matrix.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, CsMat<f64>)> {
        self.fit_matrix(docs)
    }

    /// [`TfidfParams::fit_transform`] with the matrix as the solver keeps it: values rounded
    /// to `f32` (computed in `f64`, as `fit_transform` gives them) and `u32` column numbers,
    /// half the memory of `fit_transform`'s matrix. For training: on NewsMTSC (3.1 million
    /// stored values) the `f64` matrix cost 49 MB of fresh pages and its reading, only to be
    /// rounded to `f32` when the solver's copy was made.
    pub fn fit_transform_f32<S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, CsMatI<f32, u32, usize>)> {
        self.fit_matrix(docs)
    }

    /// Fitting, with the matrix's values as `N` and column numbers as `I`.
    fn fit_matrix<S: AsRef<str> + Sync, N: Weight, I: SpIndex + Send + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, CsMatI<N, I, usize>)> {
        let analyzer = self.check()?;
        let n = docs.len();
        if n == 0 {
            return Err(Error::NoInput(
                "no documents to learn a vocabulary from".into(),
            ));
        }
        // Count terms per chunk in parallel, each chunk numbering its own terms, then give
        // them one numbering (terms.rs). As few chunks as keep the cores busy (four per
        // thread), however many documents: every chunk holds its own copy of the terms it
        // meets and analyses each of its words' character n-grams once, so chunks capped at
        // 4,096 documents made that work and memory grow with their number (16 copies of
        // NewsMTSC train, 29 chunks instead of 8: 190 MB more fresh pages, vectorising
        // 2.6 s instead of 2.1, medians of 5 interleaved runs; same models).
        let chunk = (n / (4 * rayon::current_num_threads().max(1))).max(64);
        let (chunks, mut chunk_rows): (Vec<ChunkTerms>, Vec<ChunkRows>) = docs
            .par_chunks(chunk)
            .map(|part| {
                let mut terms = ChunkTerms::default();
                let mut scratch = Scratch::default();
                let numbering = new_numbering();
                let mut rows = ChunkRows::default();
                let mut tally = DocTally::default();
                for d in part {
                    tally.start();
                    analyzer.for_each_term_id(
                        d.as_ref(),
                        &mut scratch,
                        numbering,
                        |t| Some(terms.id(t)),
                        |i| tally.add(i),
                    );
                    terms.count_document(&tally.pairs);
                    rows.push(&tally.pairs);
                }
                (terms, rows)
            })
            .unzip();
        let merged = terms::merge(&chunks);
        let (df, total) = (&merged.doc_freq, &merged.total);
        let n_terms = df.len();
        let term = |t: u32| merged.term(&chunks, t);

        let min = self.min_df.resolve(n, true);
        let max = self.max_df.resolve(n, false);
        // Columns in order of total count, most frequent first; ties go to the alphabetically
        // first term, so the order does not depend on the order in which terms were met. The
        // same order decides which terms `max_features` keeps, and it packs the frequent
        // terms' weights together, so the solver's reads of them mostly hit the cache. Most
        // terms tie on a count of one or two, so the count and the first eight bytes of the
        // term make one integer key that orders as (count, term) does, and only runs of equal
        // keys read the terms themselves (sorting tuples that carried the term: 21 ms of
        // fitting NewsMTSC's features, now 13). The merge took the prefixes (terms.rs).
        let mut keys: Vec<(u128, u32)> = (0..n_terms as u32)
            .into_par_iter()
            .filter(|&t| (min..=max).contains(&df[t as usize]))
            .map(|t| {
                let descending = u64::MAX - total[t as usize];
                let prefix = merged.prefix[t as usize];
                (((descending as u128) << 64) | prefix as u128, t)
            })
            .collect();
        keys.par_sort_unstable_by_key(|k| k.0);
        // Runs of equal keys (same count, same first eight bytes): by the whole term.
        let mut runs: Vec<&mut [(u128, u32)]> = keys
            .chunk_by_mut(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
            .collect();
        runs.par_iter_mut()
            .for_each(|run| run.sort_unstable_by(|a, b| term(a.1).cmp(term(b.1))));
        drop(runs);
        let mut kept: Vec<u32> = keys.into_iter().map(|k| k.1).collect();
        if let Some(limit) = self.max_features {
            kept.truncate(limit);
        }
        if kept.is_empty() {
            return Err(Error::EmptyVocabulary {
                min_df: self.min_df.to_string(),
                max_df: self.max_df.to_string(),
                terms: n_terms,
                documents: n,
            });
        }
        let mut new_index = vec![u32::MAX; n_terms];
        for (i, &t) in kept.iter().enumerate() {
            new_index[t as usize] = i as u32;
        }
        let idf: Vec<f64> = kept
            .iter()
            .map(|&t| idf_of(n, df[t as usize], self.smooth_idf))
            .collect();
        // 192,000 strings to allocate on NewsMTSC: 12 ms on one core.
        let vocabulary: Vec<String> = kept.par_iter().map(|&t| term(t).to_string()).collect();
        let vectorizer = TfidfVectorizer::new(self.clone(), analyzer, vocabulary, idf);

        // The matrix is written in place: once each chunk's rows hold column numbers, their
        // lengths are known, so every chunk gets its own stretch of the final arrays and fills
        // it in parallel, with no per-row vectors to allocate and copy.
        chunk_rows
            .par_iter_mut()
            .zip(merged.remap.par_iter())
            .for_each(|(rows, remap)| {
                // Each of the chunk's terms is looked up once, not once per document.
                let column: Vec<u32> = remap.iter().map(|&g| new_index[g as usize]).collect();
                rows.renumber(|id| {
                    let i = column[id as usize];
                    (i != u32::MAX).then_some(i)
                })
            });
        // Each row ends with the word-vector block, when there is one: `extra` more values.
        let extra = match &self.vectors {
            Some(v) if v.table.is_none() => {
                return Err(Error::param(
                    "--vectors",
                    "word-vector options were given without a vectors table",
                ))
            }
            Some(v) => v.dim,
            None => 0,
        };
        let indptr = starts_of(
            chunk_rows
                .iter()
                .flat_map(ChunkRows::iter)
                .map(|r| r.len() + extra),
        );
        let nnz = indptr[n];
        let mut indices = vec![I::zero(); nnz];
        let mut data = vec![N::default(); nnz];
        let lengths = chunk_rows.iter().map(|r| r.len() + extra * r.count());
        let parts = cut_pairs(&mut indices, &mut data, lengths);
        chunk_rows
            .par_iter()
            .zip(parts)
            .zip(docs.par_chunks(chunk))
            .for_each(|((rows, (idx, val)), texts)| {
                let pieces = cut_pairs(idx, val, rows.iter().map(|r| r.len() + extra));
                let (mut pairs, mut weights) = (Vec::new(), Vec::new());
                let (mut scratch, mut block) = (Scratch::default(), vec![0.0; extra]);
                for ((row, (row_idx, row_val)), text) in rows.iter().zip(pieces).zip(texts) {
                    pairs.clear();
                    pairs.extend(row.iter().map(|&p| unpack(p)));
                    weights.resize(row.len(), 0.0);
                    vectorizer.weigh_into(&pairs, &mut weights);
                    let (row_idx, block_idx) = row_idx.split_at_mut(row.len());
                    let (row_val, block_val) = row_val.split_at_mut(row.len());
                    for (((&(i, _), col), v), &w) in
                        pairs.iter().zip(row_idx).zip(row_val).zip(&weights)
                    {
                        (*col, *v) = (I::from_usize(i as usize), N::from_f64(w));
                    }
                    if extra > 0 {
                        // Tokenised again rather than kept from the counting pass: keeping
                        // every row's block until the vocabulary is known would hold another
                        // rows × dim values, and tokenising is a small part of the analysis
                        // (the character n-grams are most of it).
                        let tokens = vectorizer.analyzer.tokens(text.as_ref(), &mut scratch);
                        vectorizer.text_vector(tokens, &mut block);
                        let first = vectorizer.vocabulary.len();
                        for (k, ((col, v), &w)) in
                            block_idx.iter_mut().zip(block_val).zip(&block).enumerate()
                        {
                            (*col, *v) = (I::from_usize(first + k), N::from_f64(w));
                        }
                    }
                }
            });
        let matrix = CsMatI::new((n, vectorizer.n_features()), indptr, indices, data);
        Ok((vectorizer, matrix))
    }
}

/// A matrix value type: `f64`, or `f32` for the solver's copy.
trait Weight: Copy + Default + Send + Sync + 'static {
    /// `v` in this type (rounded to nearest for `f32`).
    fn from_f64(v: f64) -> Self;
}

impl Weight for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
}

impl Weight for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}

/// One document's `(term number, count)` pairs in order of first occurrence, counted without
/// sorting: each term number remembers, under the number of the document that last met it,
/// where its pair is. (Sorting each document's occurrences to merge them took a tenth of
/// fitting NewsMTSC's features; the pairs are sorted once, after renumbering.)
#[derive(Default)]
struct DocTally {
    pairs: Vec<(u32, u32)>,
    /// For each term number: the last document that met it, and its pair's position there.
    seen: Vec<(u32, u32)>,
    /// The current document, counted from 1 (0 marks a term no document has met).
    doc: u32,
}

impl DocTally {
    fn start(&mut self) {
        self.pairs.clear();
        self.doc += 1;
    }

    fn add(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.seen.len() {
            self.seen.resize((i + 1).max(2 * self.seen.len()), (0, 0));
        }
        let (doc, at) = &mut self.seen[i];
        if *doc == self.doc {
            self.pairs[*at as usize].1 += 1;
        } else {
            (*doc, *at) = (self.doc, self.pairs.len() as u32);
            self.pairs.push((id, 1));
        }
    }
}

/// The `(term number, count)` pairs of a chunk's documents end to end in segments of
/// [`ChunkRows::SEGMENT`] pairs (a longer document gets a segment of its own): exactly as much
/// memory as the pairs, where a vector per document would keep the room its unmerged
/// occurrences took (twice the pairs on NewsMTSC), and never copied, where one growing array
/// was copied each time it doubled (a seventh of the page faults of training on NewsMTSC).
/// Each document's pairs are in order of first occurrence until [`ChunkRows::renumber`]
/// sorts them. A pair is kept as one `u64` ([`pack`]), because the standard library sorts
/// plain integers faster than tuples (7,357 rows of 416 pairs: 25 ms instead of 35).
#[derive(Default)]
struct ChunkRows {
    segments: Vec<Vec<u64>>,
    /// Each document's segment and its range there.
    docs: Vec<(u32, u32, u32)>,
}

impl ChunkRows {
    /// Pairs per segment: 512 KiB.
    const SEGMENT: usize = 1 << 16;

    fn push(&mut self, counts: &[(u32, u32)]) {
        let fits = self
            .segments
            .last()
            .is_some_and(|s| s.capacity() - s.len() >= counts.len());
        if !fits {
            self.segments
                .push(Vec::with_capacity(counts.len().max(Self::SEGMENT)));
        }
        let at = self.segments.len() - 1;
        let segment = &mut self.segments[at];
        let start = segment.len() as u32;
        segment.extend(counts.iter().map(|&(id, count)| pack(id, count)));
        self.docs.push((at as u32, start, segment.len() as u32));
    }

    /// Number of documents.
    fn count(&self) -> usize {
        self.docs.len()
    }

    /// Number of pairs.
    fn len(&self) -> usize {
        self.docs.iter().map(|&(_, s, e)| (e - s) as usize).sum()
    }

    /// Gives every pair the number `new_id` maps its term to, drops the pairs it maps to
    /// none (terms left out of the vocabulary), and sorts each document's pairs.
    fn renumber(&mut self, new_id: impl Fn(u32) -> Option<u32>) {
        // Documents sit in their segment in order, so each one's kept pairs move down to
        // where the previous one's end.
        let mut kept = vec![0u32; self.segments.len()];
        for (segment, start, end) in self.docs.iter_mut() {
            let pairs = &mut self.segments[*segment as usize];
            let to = &mut kept[*segment as usize];
            let row_start = *to;
            for i in *start..*end {
                let (id, count) = unpack(pairs[i as usize]);
                if let Some(new) = new_id(id) {
                    pairs[*to as usize] = pack(new, count);
                    *to += 1;
                }
            }
            pairs[row_start as usize..*to as usize].sort_unstable();
            (*start, *end) = (row_start, *to);
        }
    }

    /// Each document's packed pairs.
    fn iter(&self) -> impl Iterator<Item = &[u64]> + '_ {
        self.docs.iter().map(|&(segment, start, end)| {
            &self.segments[segment as usize][start as usize..end as usize]
        })
    }
}

/// A `(term number, count)` pair as one integer that orders as the pair does.
fn pack(id: u32, count: u32) -> u64 {
    (id as u64) << 32 | count as u64
}

/// The pair of [`pack`].
fn unpack(pair: u64) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

fn idf_of(n: usize, df: usize, smooth: bool) -> f64 {
    let s = if smooth { 1.0 } else { 0.0 };
    ((n as f64 + s) / (df as f64 + s)).ln() + 1.0
}

/// The length of a vector with this sum of squares, or 1 for a zero vector (left as it is).
fn norm_of(sum_of_squares: f64) -> f64 {
    if sum_of_squares > 0.0 {
        sum_of_squares.sqrt()
    } else {
        1.0
    }
}

/// Sorts `(id, count)` pairs and merges repeats.
fn merge_counts(counts: &mut Vec<(u32, u32)>) {
    counts.sort_unstable_by_key(|&(id, _)| id);
    counts.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 += next.1;
            true
        } else {
            false
        }
    });
}

/// Builds a CSR matrix from rows whose column indices are already sorted.
fn assemble(rows: Vec<(Vec<usize>, Vec<f64>)>, n_cols: usize) -> CsMat<f64> {
    let nnz = rows.iter().map(|r| r.0.len()).sum();
    let mut indptr = Vec::with_capacity(rows.len() + 1);
    let mut indices = Vec::with_capacity(nnz);
    let mut data = Vec::with_capacity(nnz);
    indptr.push(0);
    let n_rows = rows.len();
    for (idx, vals) in rows {
        indices.extend(idx);
        data.extend(vals);
        indptr.push(indices.len());
    }
    CsMat::new((n_rows, n_cols), indptr, indices, data)
}

/// A fitted TF-IDF vectorizer: the learned vocabulary (most frequent term first) and idf of each term.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "StoredVectorizer", into = "StoredVectorizer")]
pub struct TfidfVectorizer {
    params: TfidfParams,
    analyzer: Analyzer,
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    /// Term → column, built on first use: training only needs the vocabulary.
    index: std::sync::OnceLock<VocabularyIndex>,
    /// Whether each column is a character n-gram, when rows are normed per part.
    is_char: Vec<bool>,
    /// Names the term → column numbering of `index` for the analyzer's memo of words.
    numbering: u64,
}

/// Term → column without copying the terms: a table of column numbers, each placed by its
/// term's hash and compared through the vocabulary. (A map from copied terms took 30 ms and
/// 192,000 allocations to build for NewsMTSC's vocabulary, a fifth of predicting its
/// validation file.)
#[derive(Debug, Clone)]
struct VocabularyIndex(HashTable<u32>);

impl VocabularyIndex {
    fn new(vocabulary: &[String]) -> VocabularyIndex {
        let hash_of = |i: u32| terms::hash(&vocabulary[i as usize]);
        let mut table = HashTable::with_capacity(vocabulary.len());
        for i in 0..vocabulary.len() as u32 {
            table.insert_unique(hash_of(i), i, |&j| hash_of(j));
        }
        VocabularyIndex(table)
    }

    fn get(&self, vocabulary: &[String], term: &str) -> Option<u32> {
        self.0
            .find(terms::hash(term), |&i| vocabulary[i as usize] == term)
            .copied()
    }
}

/// The stored form: everything but the lookup index, which is rebuilt on load.
#[derive(Serialize, Deserialize)]
struct StoredVectorizer {
    params: TfidfParams,
    vocabulary: Vec<String>,
    idf: Vec<f64>,
}

impl TryFrom<StoredVectorizer> for TfidfVectorizer {
    type Error = String;

    fn try_from(s: StoredVectorizer) -> std::result::Result<Self, String> {
        if s.vocabulary.len() != s.idf.len() {
            return Err(format!(
                "vocabulary has {} terms but idf has {} values",
                s.vocabulary.len(),
                s.idf.len()
            ));
        }
        let analyzer = s.params.check().map_err(|e| e.to_string())?;
        Ok(TfidfVectorizer::new(
            s.params,
            analyzer,
            s.vocabulary,
            s.idf,
        ))
    }
}

impl From<TfidfVectorizer> for StoredVectorizer {
    fn from(v: TfidfVectorizer) -> Self {
        StoredVectorizer {
            params: v.params,
            vocabulary: v.vocabulary,
            idf: v.idf,
        }
    }
}

impl TfidfVectorizer {
    fn new(
        params: TfidfParams,
        analyzer: Analyzer,
        vocabulary: Vec<String>,
        idf: Vec<f64>,
    ) -> Self {
        let is_char = if params.norms_per_part() {
            vocabulary
                .iter()
                .map(|t| t.starts_with(CHAR_PREFIX))
                .collect()
        } else {
            Vec::new()
        };
        TfidfVectorizer {
            params,
            analyzer,
            vocabulary,
            idf,
            index: std::sync::OnceLock::new(),
            is_char,
            numbering: new_numbering(),
        }
    }

    /// The column of `term`, if it is in the vocabulary (the index is built on first use).
    fn lookup(&self, term: &str) -> Option<u32> {
        self.index
            .get_or_init(|| VocabularyIndex::new(&self.vocabulary))
            .get(&self.vocabulary, term)
    }

    /// The options this vectorizer was fitted with.
    pub fn params(&self) -> &TfidfParams {
        &self.params
    }

    /// Number of features: terms in the vocabulary, then the word-vector block's columns.
    pub fn n_features(&self) -> usize {
        self.vocabulary.len() + self.params.vectors.as_ref().map_or(0, |v| v.dim)
    }

    /// The name of column `j`: its term, or `vector[k]` for the word-vector block's k-th.
    pub fn feature_name(&self, j: usize) -> String {
        match self.vocabulary.get(j) {
            Some(t) => t.clone(),
            None => format!("vector[{}]", j - self.vocabulary.len()),
        }
    }

    /// Gives a loaded vectorizer the word-vector table its options name (a model file stores
    /// the table once for all its vectorizers). Fails if the table's length differs from
    /// the one the vectorizer was fitted with.
    pub fn attach_vectors(&mut self, table: &Arc<WordVectors>) -> std::result::Result<(), String> {
        let Some(v) = &mut self.params.vectors else {
            return Ok(());
        };
        if v.dim != table.dim() {
            return Err(format!(
                "the features were made with {}-dimensional word vectors but the stored table has {}",
                v.dim,
                table.dim()
            ));
        }
        v.table = Some(Arc::clone(table));
        Ok(())
    }

    /// The word-vector table, when the features have a word-vector block.
    pub fn vector_table(&self) -> Option<&Arc<WordVectors>> {
        self.params.vectors.as_ref().and_then(|v| v.table.as_ref())
    }

    /// Whether the features have a word-vector block whose table is missing (a model file
    /// that lost it).
    pub fn lacks_vectors(&self) -> bool {
        self.params
            .vectors
            .as_ref()
            .is_some_and(|v| v.table.is_none())
    }

    /// The word-vector block of a text's `tokens` into `out` (zeros without a table).
    fn text_vector(&self, tokens: &Tokens, out: &mut [f64]) {
        match &self.params.vectors {
            Some(VectorParams {
                weight,
                table: Some(table),
                ..
            }) => table.text_vector(tokens.iter(), *weight, out),
            _ => out.iter_mut().for_each(|v| *v = 0.0),
        }
    }

    /// The vocabulary, most frequent term first (ties alphabetical); a term's position is its column.
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    /// The idf of each column.
    pub fn idf(&self) -> &[f64] {
        &self.idf
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn column(&self, term: &str) -> Option<usize> {
        self.lookup(term).map(|i| i as usize)
    }

    /// TF-IDF weights for sorted, merged `(column, count)` pairs.
    fn weigh(&self, counts: &[(u32, u32)]) -> (Vec<usize>, Vec<f64>) {
        let mut vals = vec![0.0; counts.len()];
        self.weigh_into(counts, &mut vals);
        (counts.iter().map(|&(i, _)| i as usize).collect(), vals)
    }

    /// The values of [`TfidfVectorizer::weigh`] into `vals`, as long as `counts`.
    fn weigh_into(&self, counts: &[(u32, u32)], vals: &mut [f64]) {
        let per_part = self.params.norms_per_part();
        // Most counts are one, whose tf is one however tf is taken (`1 + ln 1` is exactly
        // one), so the logarithm is only taken for repeats. The squares are summed on the
        // way, per part or over the whole row.
        let (mut words, mut chars) = (0.0, 0.0);
        for (&(i, c), v) in counts.iter().zip(vals.iter_mut()) {
            let tf = if c == 1 || self.params.binary_tf {
                1.0
            } else if self.params.sublinear_tf {
                1.0 + (c as f64).ln()
            } else {
                c as f64
            };
            let w = tf * self.idf[i as usize];
            *v = w;
            if per_part && self.is_char[i as usize] {
                chars += w * w;
            } else {
                words += w * w;
            }
        }
        if per_part {
            let (words, chars) = (norm_of(words), norm_of(chars));
            for (&(i, _), v) in counts.iter().zip(vals.iter_mut()) {
                *v /= if self.is_char[i as usize] {
                    chars
                } else {
                    words
                };
            }
        } else if self.params.l2_norm {
            let norm = norm_of(words);
            vals.iter_mut().for_each(|v| *v /= norm);
        }
    }

    /// The TF-IDF row of one text, as sorted columns and values.
    pub fn transform_one(&self, text: &str, scratch: &mut Scratch) -> (Vec<usize>, Vec<f64>) {
        let mut counts: Vec<(u32, u32)> = Vec::new();
        self.analyzer.for_each_term_id(
            text,
            scratch,
            self.numbering,
            |t| self.lookup(t),
            |i| counts.push((i, 1)),
        );
        merge_counts(&mut counts);
        let (mut idx, mut vals) = self.weigh(&counts);
        if let Some(v) = &self.params.vectors {
            let mut block = vec![0.0; v.dim];
            // The term pass has just left the text's tokens in the scratch.
            self.text_vector(scratch.last_tokens(), &mut block);
            idx.extend(self.vocabulary.len()..self.vocabulary.len() + v.dim);
            vals.extend(block);
        }
        (idx, vals)
    }

    /// The TF-IDF matrix of `docs` (one row each), using the learned vocabulary and idf.
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> CsMat<f64> {
        let rows: Vec<(Vec<usize>, Vec<f64>)> = docs
            .par_iter()
            .map_init(Scratch::default, |scratch, d| {
                self.transform_one(d.as_ref(), scratch)
            })
            .collect();
        assemble(rows, self.n_features())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn unigrams() -> TfidfParams {
        TfidfParams {
            analyzer: AnalyzerParams {
                word_ngrams: (1, 1),
                char_ngrams: None,
                ..AnalyzerParams::default()
            },
            ..TfidfParams::default()
        }
    }

    /// Three documents, weights worked out by hand:
    /// df(a)=3, df(b)=2, df(c)=1, n=3; smooth idf = ln(4/(1+df)) + 1:
    /// idf(a) = 1, idf(b) = 1 + ln(4/3) = 1.2876820724517808, idf(c) = 1 + ln 2 = 1.6931471805599454.
    /// "a a b": tf (2, 1, 0) → (2, 1.28768…, 0) / sqrt(4 + 1.28768…²) = (0.8408020, 0.5413428, 0).
    #[test]
    fn hand_computed_three_documents() {
        let docs = ["a b", "a c", "a a b"];
        let (v, m) = unigrams().fit_transform(&docs).unwrap();
        assert_eq!(v.vocabulary(), ["a", "b", "c"]);
        assert_abs_diff_eq!(v.idf()[0], 1.0, epsilon = 1e-12);
        assert_abs_diff_eq!(v.idf()[1], 1.2876820724517808, epsilon = 1e-12);
        assert_abs_diff_eq!(v.idf()[2], 1.6931471805599454, epsilon = 1e-12);
        let dense = m.to_dense();
        // "a b": (1, 1.28768) / 1.63036…
        assert_abs_diff_eq!(dense[[0, 0]], 0.6133555370249717, epsilon = 1e-9);
        assert_abs_diff_eq!(dense[[0, 1]], 0.7898069290660905, epsilon = 1e-9);
        assert_abs_diff_eq!(dense[[0, 2]], 0.0, epsilon = 1e-12);
        // "a c": (1, 0, 1.69315) / 1.96640…
        assert_abs_diff_eq!(dense[[1, 0]], 0.5085423203783267, epsilon = 1e-9);
        assert_abs_diff_eq!(dense[[1, 2]], 0.8610369959439764, epsilon = 1e-9);
        assert_abs_diff_eq!(dense[[2, 0]], 0.8408019731721111, epsilon = 1e-9);
        assert_abs_diff_eq!(dense[[2, 1]], 0.5413428136679054, epsilon = 1e-9);
    }

    fn vectors_table(text: &str) -> Arc<WordVectors> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.txt");
        std::fs::write(&path, text).unwrap();
        Arc::new(WordVectors::read(&path, None).unwrap())
    }

    /// The word-vector block follows the TF-IDF columns, which keep their own unit norm:
    /// "a a b" with a = (1, 0), b = (0, 1): mean direction (2, 1)/√5, times the weight 0.5.
    #[test]
    fn word_vectors_follow_the_tfidf_columns_and_fit_matches_transform() {
        let params = TfidfParams {
            vectors: Some(VectorParams::new(vectors_table("a 1 0\nb 0 1\n"), 0.5)),
            ..unigrams()
        };
        let docs = ["a b", "a c", "a a b", "c"];
        let (v, x) = params.fit_transform(&docs).unwrap();
        assert_eq!((v.vocabulary().len(), v.n_features()), (3, 5));
        assert_eq!(v.feature_name(4), "vector[1]");
        let row = x.outer_view(2).unwrap().to_dense();
        let (a, b) = (v.column("a").unwrap(), v.column("b").unwrap());
        let terms = (row[a] * row[a] + row[b] * row[b]).sqrt();
        assert_abs_diff_eq!(terms, 1.0, epsilon = 1e-12);
        assert_abs_diff_eq!(row[3], 0.5 * 2.0 / 5f64.sqrt(), epsilon = 1e-12);
        assert_abs_diff_eq!(row[4], 0.5 / 5f64.sqrt(), epsilon = 1e-12);
        // No known word: a zero block.
        let last = x.outer_view(3).unwrap().to_dense();
        assert_eq!((last[3], last[4]), (0.0, 0.0));
        // Fitting and transforming one text give the same rows (two code paths).
        let again = v.transform(&docs);
        for i in 0..docs.len() {
            let (f, t) = (x.outer_view(i).unwrap(), again.outer_view(i).unwrap());
            assert_eq!(f.indices(), t.indices());
            for (p, q) in f.data().iter().zip(t.data()) {
                assert_abs_diff_eq!(p, q, epsilon = 1e-12);
            }
        }
        // The f32 matrix the solver gets has the same block.
        let (_, x32) = params.fit_transform_f32(&docs).unwrap();
        assert_eq!(x32.cols(), 5);
        assert_abs_diff_eq!(
            x32.outer_view(2).unwrap().to_dense()[3] as f64,
            row[3],
            epsilon = 1e-6
        );
    }

    #[test]
    fn word_vector_options_are_checked_before_fitting() {
        let mut v = VectorParams::new(vectors_table("a 1 0\n"), 0.0);
        let zero = TfidfParams {
            vectors: Some(v.clone()),
            ..unigrams()
        };
        let err = zero.fit_transform(&["a"]).unwrap_err().to_string();
        assert!(err.contains("--vector-weight"), "{err}");
        v.weight = 1.0;
        v.table = None;
        let tableless = TfidfParams {
            vectors: Some(v),
            ..unigrams()
        };
        assert!(tableless.fit_transform(&["a"]).is_err());
    }

    #[test]
    fn transform_reuses_learned_idf_for_one_document() {
        let docs = ["a b", "a c", "a a b"];
        let (v, m) = unigrams().fit_transform(&docs).unwrap();
        let one = v.transform(&["a a b"]);
        assert_eq!(one.to_dense().row(0), m.to_dense().row(2));
        // Unknown terms are ignored rather than given a column.
        let unk = v.transform(&["zzz"]);
        assert_eq!(unk.nnz(), 0);
    }

    /// "ab" and "ab ab": every term (word `ab`; chars ` a`, `ab`, `b `) is in both
    /// documents, so idf = 1 and the second row is (2; 2, 2, 2). Per part: the word alone is
    /// 1, each char 2 / sqrt(12) = 1/sqrt 3. As one row: 2 / sqrt(16) = 0.5 each.
    #[test]
    fn norm_per_part_scales_words_and_chars_separately() {
        let params = TfidfParams {
            analyzer: AnalyzerParams {
                word_ngrams: (1, 1),
                char_ngrams: Some((2, 2)),
                ..AnalyzerParams::default()
            },
            ..TfidfParams::default()
        };
        assert!(!params.norm_per_part, "the whole row is the default");
        for (per_part, word, char) in [(true, 1.0, 0.5773502691896258), (false, 0.5, 0.5)] {
            let p = TfidfParams {
                norm_per_part: per_part,
                ..params.clone()
            };
            let (v, m) = p.fit_transform(&["ab", "ab ab"]).unwrap();
            assert_eq!(v.n_features(), 4);
            let row = m.to_dense().row(1).to_owned();
            assert_abs_diff_eq!(row[v.column("ab").unwrap()], word, epsilon = 1e-12);
            for t in ["c: a", "c:ab", "c:b "] {
                assert_abs_diff_eq!(row[v.column(t).unwrap()], char, epsilon = 1e-12);
            }
            // transform (prediction) weighs rows the same way as fitting.
            assert_eq!(v.transform(&["ab ab"]).to_dense().row(0), row);
        }
    }

    #[test]
    fn sublinear_and_unsmoothed_idf() {
        let params = TfidfParams {
            sublinear_tf: true,
            smooth_idf: false,
            l2_norm: false,
            ..unigrams()
        };
        let (v, m) = params.fit_transform(&["a b", "a c", "a a b"]).unwrap();
        // idf(b) = ln(3/2) + 1; tf(a in doc 3) = 1 + ln 2; idf(a) = ln(3/3) + 1 = 1.
        assert_abs_diff_eq!(v.idf()[1], 1.4054651081081644, epsilon = 1e-12);
        assert_abs_diff_eq!(m.to_dense()[[2, 0]], 1.6931471805599454, epsilon = 1e-12);
    }

    #[test]
    fn min_df_max_df_and_max_features_prune() {
        let docs = ["a b", "a c", "a a b"];
        let p = TfidfParams {
            min_df: DocFreq::Count(2),
            ..unigrams()
        };
        assert_eq!(p.fit_transform(&docs).unwrap().0.vocabulary(), ["a", "b"]);
        let p = TfidfParams {
            max_df: DocFreq::Fraction(0.7),
            ..unigrams()
        };
        assert_eq!(p.fit_transform(&docs).unwrap().0.vocabulary(), ["b", "c"]);
        let p = TfidfParams {
            max_features: Some(1),
            ..unigrams()
        };
        assert_eq!(p.fit_transform(&docs).unwrap().0.vocabulary(), ["a"]);
    }

    #[test]
    fn pruning_everything_is_an_error() {
        let p = TfidfParams {
            min_df: DocFreq::Count(5),
            ..unigrams()
        };
        let err = p.fit_transform(&["a b", "a c"]).unwrap_err();
        assert!(matches!(err, Error::EmptyVocabulary { .. }), "{err}");
        assert!(err.to_string().contains("--min-df"));
    }

    /// The index finds every vocabulary term at its column and nothing else.
    #[test]
    fn every_term_is_found_at_its_column() {
        let docs = [
            "troops cross the border",
            "the border stays shut",
            "no troops",
        ];
        let params = TfidfParams {
            analyzer: AnalyzerParams {
                char_ngrams: Some((2, 3)),
                ..AnalyzerParams::default()
            },
            ..TfidfParams::default()
        };
        let (v, _) = params.fit_transform(&docs).unwrap();
        assert!(v.n_features() > 20);
        for (j, term) in v.vocabulary().iter().enumerate() {
            assert_eq!(v.column(term), Some(j), "{term:?}");
        }
        for absent in ["", "troop", "border stays shut", "tanks"] {
            assert_eq!(v.column(absent), None, "{absent:?}");
        }
    }

    /// Columns go by total count, most frequent first, then alphabetically, also between
    /// terms that share their first eight bytes (the sort key's prefix) or that are a prefix
    /// of another.
    #[test]
    fn columns_by_count_then_alphabetically() {
        let docs = [
            "abcdefghz abcdefghij b",
            "abcdefgh zz",
            "abcdefghaa zz abcdefghij",
        ];
        let (v, _) = unigrams().fit_transform(&docs).unwrap();
        assert_eq!(
            v.vocabulary(),
            [
                "abcdefghij",
                "zz",
                "abcdefgh",
                "abcdefghaa",
                "abcdefghz",
                "b"
            ]
        );
    }

    /// Documents are counted in chunks whose size follows the thread count (terms.rs); the
    /// vocabulary, its order and the matrix must not.
    #[test]
    fn same_input_gives_same_vocabulary_whatever_the_chunking() {
        let docs: Vec<String> = (0..3000)
            .map(|i| format!("w{} w{} common x{}", i % 37, i % 11, i % 1009))
            .collect();
        let params = TfidfParams {
            analyzer: AnalyzerParams {
                char_ngrams: Some((2, 4)),
                ..AnalyzerParams::default()
            },
            ..TfidfParams::default()
        };
        let on = |threads: usize| {
            crate::testing::on_threads(threads, || params.fit_transform(&docs).unwrap())
        };
        let (a, ma) = on(1);
        for threads in [2, 7] {
            let (b, mb) = on(threads);
            assert_eq!(a.vocabulary(), b.vocabulary(), "{threads} threads");
            assert_eq!(ma, mb, "{threads} threads");
        }
        assert_eq!(v_transform_equals(&a, &docs), ma);
    }

    fn v_transform_equals(v: &TfidfVectorizer, docs: &[String]) -> CsMat<f64> {
        v.transform(docs)
    }

    /// Documents that fill segments, overflow them and exceed one come back as pushed, and
    /// renumbering keeps, renumbers and sorts each one's pairs within its own segment.
    #[test]
    fn chunk_rows_keep_documents_across_segments() {
        let sizes = [40_000, 20_000, 40_000, 70_000, 3, 0, 5, 65_536, 1];
        let docs: Vec<Vec<(u32, u32)>> = sizes
            .iter()
            .enumerate()
            .map(|(d, &len)| {
                (0..len as u32)
                    .map(|i| ((i * 7919 + d as u32) % 100_003, i % 5 + 1))
                    .collect()
            })
            .collect();
        let mut rows = ChunkRows::default();
        for doc in &docs {
            rows.push(doc);
        }
        assert!(rows.segments.len() >= 4, "the documents span segments");
        assert_eq!(rows.len(), sizes.iter().sum::<usize>());
        let unpacked = |rows: &ChunkRows| -> Vec<Vec<(u32, u32)>> {
            rows.iter()
                .map(|row| row.iter().map(|&p| unpack(p)).collect())
                .collect()
        };
        assert_eq!(unpacked(&rows), docs);
        // Odd terms leave the vocabulary; even ones take half their number.
        let new_id = |id: u32| id.is_multiple_of(2).then_some(id / 2);
        rows.renumber(new_id);
        let want: Vec<Vec<(u32, u32)>> = docs
            .iter()
            .map(|doc| {
                let mut kept: Vec<(u32, u32)> = doc
                    .iter()
                    .filter_map(|&(id, c)| new_id(id).map(|n| (n, c)))
                    .collect();
                kept.sort_unstable();
                kept
            })
            .collect();
        assert_eq!(unpacked(&rows), want);
        assert_eq!(rows.len(), want.iter().map(Vec::len).sum::<usize>());
    }

    /// The training copy holds the same entries as `fit_transform`'s matrix, each value that
    /// one rounded to `f32`, with the per-part norm and sublinear tf (the weighing the two
    /// share) and on any number of threads.
    #[test]
    fn f32_matrix_is_the_f64_matrix_rounded() {
        let docs: Vec<String> = (0..500)
            .map(|i| format!("w{} w{} w{} common x{}", i % 37, i % 11, i % 11, i % 101))
            .collect();
        let params = TfidfParams {
            analyzer: AnalyzerParams {
                char_ngrams: Some((2, 4)),
                ..AnalyzerParams::default()
            },
            sublinear_tf: true,
            norm_per_part: true,
            ..TfidfParams::default()
        };
        let (v, wide) = params.fit_transform(&docs).unwrap();
        for threads in [1, 2, 5] {
            let (v32, narrow) =
                crate::testing::on_threads(threads, || params.fit_transform_f32(&docs).unwrap());
            assert_eq!(v32.vocabulary(), v.vocabulary());
            assert_eq!(narrow.shape(), wide.shape());
            assert_eq!(narrow.proper_indptr(), wide.proper_indptr());
            let columns: Vec<usize> = narrow.indices().iter().map(|&j| j as usize).collect();
            assert_eq!(columns, wide.indices());
            let rounded: Vec<f32> = wide.data().iter().map(|&x| x as f32).collect();
            assert_eq!(narrow.data(), &rounded[..], "{threads} threads");
        }
        assert!(wide.data().iter().any(|&x| (x as f32) as f64 != x));
    }
}
