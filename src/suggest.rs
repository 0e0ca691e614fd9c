//! Active learning: which unlabelled rows to label next.
//!
//! Each row is scored by how unsure the model is about it (entropy or margin of the
//! predicted probabilities, normalised to [0, 1] and averaged over tasks); the most uncertain
//! rows are then taken round-robin over the first task's predicted classes, skipping any row
//! whose TF-IDF vector is nearly the same as one already taken, so that a batch covers every
//! class and holds no near-duplicates.

use std::str::FromStr;

use rayon::prelude::*;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::modelfile::ModelFile;
use crate::predict::classifier_for_row;
use crate::text::ngrams::Scratch;

/// Cosine similarity above which two rows count as near-duplicates.
pub const DUPLICATE_SIMILARITY: f64 = 0.8;

/// How uncertainty is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Entropy of the class probabilities divided by ln(classes).
    Entropy,
    /// One minus the gap between the two most probable classes.
    Margin,
}

impl FromStr for Strategy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "entropy" => Ok(Strategy::Entropy),
            "margin" => Ok(Strategy::Margin),
            _ => Err(format!("`{s}` is not a strategy; use entropy or margin")),
        }
    }
}

/// Uncertainty in [0, 1] of one probability vector.
pub fn uncertainty(probs: &[f64], strategy: Strategy) -> f64 {
    let k = probs.len();
    if k < 2 {
        return 0.0;
    }
    match strategy {
        Strategy::Entropy => {
            let h: f64 = probs
                .iter()
                .filter(|&&p| p > 0.0)
                .map(|p| -p * p.ln())
                .sum();
            h / (k as f64).ln()
        }
        Strategy::Margin => {
            let mut s = probs.to_vec();
            s.sort_by(|a, b| b.total_cmp(a));
            1.0 - (s[0] - s[1])
        }
    }
}

/// A row chosen for labelling.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// Index into the data's rows.
    pub row: usize,
    pub uncertainty: f64,
    /// The model's guess per task.
    pub guesses: Vec<String>,
}

struct Candidate {
    row: usize,
    score: f64,
    guesses: Vec<String>,
    vector: (Vec<usize>, Vec<f64>),
}

fn cosine(a: &(Vec<usize>, Vec<f64>), b: &(Vec<usize>, Vec<f64>)) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.0.len() && j < b.0.len() {
        match a.0[i].cmp(&b.0[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a.1[i] * b.1[j];
                i += 1;
                j += 1;
            }
        }
    }
    let na = a.1.iter().map(|v| v * v).sum::<f64>().sqrt();
    let nb = b.1.iter().map(|v| v * v).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// Picks up to `n` rows of `data` that are not labelled yet (every task label empty).
pub fn suggest(
    model: &ModelFile,
    data: &Dataset,
    n: usize,
    strategy: Strategy,
) -> Result<Vec<Suggestion>> {
    if n == 0 {
        return Err(Error::param("-n", "must be at least 1"));
    }
    let mut candidates: Vec<Candidate> = data
        .rows
        .par_iter()
        .enumerate()
        .filter(|(_, r)| r.labels.iter().all(Option::is_none))
        .map_init(Scratch::default, |scratch, (i, r)| {
            let clf = classifier_for_row(model, &data.path, r)?;
            // One row serves the prediction and the near-duplicate check.
            let row = clf.vectorizer.transform_one(&r.text, scratch);
            let preds = clf.predict_row(&row.0, &row.1, 0);
            let score = preds
                .iter()
                .map(|p| {
                    let probs: Vec<f64> = p.probabilities.iter().map(|(_, v)| *v).collect();
                    uncertainty(&probs, strategy)
                })
                .sum::<f64>()
                / preds.len().max(1) as f64;
            Ok(Candidate {
                row: i,
                score,
                guesses: preds.into_iter().map(|p| p.label).collect(),
                vector: words_only(row, clf.vectorizer.vocabulary().len()),
            })
        })
        .collect::<Result<_>>()?;
    // Most uncertain first; ties by row so that the choice is reproducible.
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.row.cmp(&b.row)));
    let mut classes: Vec<String> = candidates.iter().map(|c| c.guesses[0].clone()).collect();
    classes.sort();
    classes.dedup();
    let mut queues: Vec<std::collections::VecDeque<Candidate>> =
        classes.iter().map(|_| Default::default()).collect();
    for c in candidates {
        let q = classes.binary_search(&c.guesses[0]).unwrap_or(0);
        queues[q].push_back(c);
    }
    let mut chosen: Vec<Candidate> = Vec::new();
    while chosen.len() < n && queues.iter().any(|q| !q.is_empty()) {
        for q in queues.iter_mut() {
            if chosen.len() >= n {
                break;
            }
            while let Some(c) = q.pop_front() {
                if chosen
                    .iter()
                    .all(|s| cosine(&s.vector, &c.vector) < DUPLICATE_SIMILARITY)
                {
                    chosen.push(c);
                    break;
                }
            }
        }
    }
    chosen.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.row.cmp(&b.row)));
    Ok(chosen
        .into_iter()
        .map(|c| Suggestion {
            row: c.row,
            uncertainty: c.score,
            guesses: c.guesses,
        })
        .collect())
}

/// A row's TF-IDF columns without the word-vector block (`--vectors`), which follows them:
/// near-duplicates share words, and the mean word vectors of any two news paragraphs point
/// much the same way, so the block would make paragraphs with no word in common look alike.
fn words_only(
    (mut idx, mut vals): (Vec<usize>, Vec<f64>),
    n_terms: usize,
) -> (Vec<usize>, Vec<f64>) {
    let end = idx.partition_point(|&j| j < n_terms);
    idx.truncate(end);
    vals.truncate(end);
    (idx, vals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncertainty_bounds() {
        assert!((uncertainty(&[1.0 / 3.0; 3], Strategy::Entropy) - 1.0).abs() < 1e-12);
        assert_eq!(uncertainty(&[1.0, 0.0, 0.0], Strategy::Entropy), 0.0);
        assert!((uncertainty(&[0.5, 0.5], Strategy::Margin) - 1.0).abs() < 1e-12);
        assert!((uncertainty(&[0.9, 0.1], Strategy::Margin) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn cosine_of_sparse_rows() {
        let a = (vec![0, 2], vec![1.0, 1.0]);
        let b = (vec![2, 5], vec![1.0, 1.0]);
        assert!((cosine(&a, &b) - 0.5).abs() < 1e-12);
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-12);
    }
}
