//! The model file: one self-contained, versioned JSON document.
//!
//! It starts with `{"format":"stance-model","version":N,` — a magic prefix that identifies
//! the file and its version before anything else is parsed, so that a foreign file, a file
//! from a newer `stance` and a truncated file each get their own clear message. It holds the
//! normalisation, every option, the vocabulary and idf, each task's classes and weights, and
//! training metadata. No timestamps or hash-map orders go in, so the same data, options and
//! seed give the same file byte for byte. Writing goes to a temporary file in the same folder
//! that is renamed over the target, so a failed `train` never damages an existing model.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::classifier::Classifier;
use crate::error::{Error, Result};
use crate::evaluation::Report;
use crate::features::{TfidfParams, TfidfVectorizer, WordVectors};
use crate::model::{ClassWeight, Loss};
use crate::shared::{GroupWeights, SharedGroups};

/// The format name written first in every model file.
pub const FORMAT: &str = "stance-model";
/// The newest format version this build reads and the one it writes. Version 2 added the
/// TF-IDF option `norm_per_part`; version 1 files lack it and load with the whole-row norm
/// they were made with. Version 3 added `char_source` (character n-grams inside tokens or
/// white-space-separated words); older files lack it and load with tokens. A build refuses
/// files newer than its own version, so an old `stance` never predicts with features it
/// does not know. Version 4 added models with shared group weights (`shared`, written in
/// place of `models`); older files have none. Version 5 added `hashtags` (hashtags split
/// into their words before normalisation); older files lack it and load with `keep`.
/// Version 6 added word vectors (`vectors` in the TF-IDF options and the table, stored once,
/// as `vectors` before `metadata`); older files have none.
pub const VERSION: u32 = 6;

/// One classifier, for all rows or for the rows of one group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupModel {
    /// The group value (`None` when the model is not grouped).
    pub group: Option<String>,
    pub classifier: Classifier,
}

/// Options used to train, as stored in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingOptions {
    pub tfidf: TfidfParams,
    pub c: f64,
    /// C values fitted before `c`, each warm-starting the next (`--c-path`); none for a fit
    /// from scratch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub c_path: Vec<f64>,
    pub class_weight: ClassWeight,
    /// The data term (absent in files of logistic models).
    #[serde(default, skip_serializing_if = "Loss::is_logistic")]
    pub loss: Loss,
    pub max_iterations: u64,
    pub tolerance: f64,
    pub cv_folds: Option<usize>,
    pub seed: u64,
    pub text_column: String,
    /// With a group column: separate models per group, or shared weights (absent for
    /// separate).
    #[serde(default, skip_serializing_if = "GroupWeights::is_separate")]
    pub group_weights: GroupWeights,
    /// How the options were chosen by `stance tune`, when they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
}

/// What `stance tune` chose and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// `validation` or `cv-K`.
    pub method: String,
    /// Number of settings tried per group.
    pub settings_tried: usize,
    /// The chosen setting of each group, with each task's C, class weight and score.
    pub chosen: Vec<crate::tune::Trial>,
}

/// What a task's model was trained on and how well it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskMetadata {
    pub classes: Vec<String>,
    pub label_counts: BTreeMap<String, usize>,
    /// Solver iterations per group model, in group order (Newton steps; files written before
    /// the log-loss moved to Newton's method count L-BFGS steps for it).
    pub iterations: Vec<u64>,
    pub converged: bool,
    /// Cross-validated scores, when `--cv` was given (pooled over groups).
    pub cv: Option<Report>,
    /// Validation scores of the chosen options, when tuned on a validation file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<Report>,
}

/// Training metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// File name of the training data (not its full path, which would vary by machine).
    pub data_file: String,
    /// SHA-256 of the training data's bytes.
    pub data_sha256: String,
    pub rows: usize,
    pub options: TrainingOptions,
    pub tasks: BTreeMap<String, TaskMetadata>,
}

/// Everything in a model file.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelFile {
    /// Always [`FORMAT`]; first, so it doubles as a magic number.
    pub format: String,
    /// Format version; second.
    pub version: u32,
    /// Version of the `stance` that wrote the file.
    pub crate_version: String,
    /// The `tokenizers` definition of the normalisation and pre-tokenisation.
    pub normalization: serde_json::Value,
    /// The column whose values select a group model, when grouped.
    pub group_by: Option<String>,
    /// A model with shared group weights (`--group-weights shared`) as the file stores it:
    /// the shared weights and each group's own. `models` then holds the classifiers they add
    /// up to ([`SharedGroups::fold`]), which are not written.
    #[serde(default)]
    pub shared: Option<SharedGroups>,
    /// One classifier per group (exactly one, with no group, when not grouped).
    #[serde(default)]
    pub models: Vec<GroupModel>,
    /// The word-vector table that every vectorizer with a word-vector block uses, stored
    /// once; loading hands it to them and leaves this `None`.
    #[serde(default)]
    pub vectors: Option<WordVectors>,
    pub metadata: Metadata,
}

/// A model file as written: the fields of [`ModelFile`] in order, with either the shared
/// model or the group models.
#[derive(Serialize)]
struct Written<'a> {
    format: &'a str,
    version: u32,
    crate_version: &'a str,
    normalization: &'a serde_json::Value,
    group_by: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared: Option<&'a SharedGroups>,
    #[serde(skip_serializing_if = "Option::is_none")]
    models: Option<&'a [GroupModel]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vectors: Option<&'a WordVectors>,
    metadata: &'a Metadata,
}

impl ModelFile {
    /// Whether the file at `data` is byte for byte the file this model was trained on, so
    /// that scores on it are training-set scores.
    pub fn was_trained_on(&self, data: &Path) -> Result<bool> {
        Ok(sha256_of_files(&[data])? == self.metadata.data_sha256)
    }

    /// Wraps trained classifiers with the header fields.
    pub fn new(group_by: Option<String>, models: Vec<GroupModel>, metadata: Metadata) -> Self {
        ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            crate_version: env!("CARGO_PKG_VERSION").into(),
            normalization: crate::text::reference::normalizer_spec(),
            group_by,
            shared: None,
            models,
            vectors: None,
            metadata,
        }
    }

    /// Every vectorizer of the model: the shared one, or each group model's.
    fn vectorizers(&self) -> impl Iterator<Item = &TfidfVectorizer> {
        let shared = self.shared.iter().map(|s| &*s.vectorizer);
        let models = self.models.iter().map(|m| &*m.classifier.vectorizer);
        shared.chain(models)
    }

    /// The word-vector table the features use, if any.
    pub fn vector_table(&self) -> Option<&Arc<WordVectors>> {
        self.vectorizers().find_map(|v| v.vector_table())
    }

    /// The task names (the same in every group).
    pub fn task_names(&self) -> Vec<String> {
        self.models
            .first()
            .map(|m| {
                m.classifier
                    .task_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The classifier for `group` (the only one when the model is not grouped).
    pub fn classifier(&self, group: Option<&str>) -> Option<&Classifier> {
        match &self.group_by {
            None => self.models.first().map(|m| &m.classifier),
            Some(_) => self
                .models
                .iter()
                .find(|m| m.group.as_deref() == group)
                .map(|m| &m.classifier),
        }
    }

    /// The classes of task `t`: every class any group's classifier knows, sorted (a grouped
    /// model's groups may know different ones).
    pub fn classes(&self, t: usize) -> Vec<String> {
        let mut classes: Vec<String> = self
            .models
            .iter()
            .filter_map(|m| m.classifier.tasks.get(t))
            .flat_map(|t| t.model.classes().iter().cloned())
            .collect();
        classes.sort();
        classes.dedup();
        classes
    }

    /// Writes the file atomically, streamed: the JSON of a model with a large vocabulary is tens
    /// of megabytes (TweetEval per target, words 1-3 and characters 2-5: 22 MB), which
    /// building it in memory first would add to the peak.
    pub fn save(&self, path: &Path) -> Result<()> {
        let written = Written {
            format: &self.format,
            version: self.version,
            crate_version: &self.crate_version,
            normalization: &self.normalization,
            group_by: &self.group_by,
            shared: self.shared.as_ref(),
            models: self.shared.is_none().then_some(&self.models[..]),
            vectors: self.vector_table().map(|t| &**t),
            metadata: &self.metadata,
        };
        crate::atomic::write_with(path, |w| {
            serde_json::to_writer(w, &written).map_err(std::io::Error::other)
        })
    }

    /// Whether the file at `path` starts as a model file does (it may still be broken).
    pub fn looks_like_model(path: &Path) -> Result<bool> {
        use std::io::Read;
        let magic = format!("{{\"format\":\"{FORMAT}\"");
        let mut start = Vec::with_capacity(magic.len());
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        file.take(magic.len() as u64)
            .read_to_end(&mut start)
            .map_err(|e| Error::io(path, e))?;
        Ok(start == magic.as_bytes())
    }

    /// Reads and checks a model file.
    pub fn load(path: &Path) -> Result<ModelFile> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let bad = |reason: String| Error::BadModel {
            path: path.into(),
            reason,
        };
        let magic = format!("{{\"format\":\"{FORMAT}\",\"version\":");
        let Some(rest) = bytes.strip_prefix(magic.as_bytes()) else {
            return Err(bad(
                "it does not start with the stance-model header; give a file written by `stance train`".into(),
            ));
        };
        let digits: String = rest
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| b as char)
            .collect();
        if digits.is_empty() {
            return Err(bad("its format version is unreadable".into()));
        }
        // Digits past u32 are a version newer than any this build knows, not an unreadable one.
        let version = digits.parse::<u32>().unwrap_or(u32::MAX);
        if version > VERSION {
            return Err(Error::NewerModel {
                path: path.into(),
                found: digits,
                supported: VERSION,
            });
        }
        if version == 0 {
            return Err(bad("format version 0 is not a released format".into()));
        }
        let mut file: ModelFile = serde_json::from_slice(&bytes).map_err(|e| {
            if e.is_eof() {
                bad("the file is truncated; retrain or restore it".into())
            } else {
                bad(format!("the file is corrupt ({e}); retrain or restore it"))
            }
        })?;
        // The table, stored once, goes to each vectorizer before the shared model is folded
        // into group models (which share its vectorizer).
        if let Some(table) = file.vectors.take().map(Arc::new) {
            let shared = file.shared.iter_mut().map(|s| &mut s.vectorizer);
            let models = file.models.iter_mut().map(|m| &mut m.classifier.vectorizer);
            for v in shared.chain(models) {
                Arc::get_mut(v)
                    .ok_or_else(|| bad("a vectorizer is shared before loading ends".into()))?
                    .attach_vectors(&table)
                    .map_err(bad)?;
            }
        }
        if file.vectorizers().any(TfidfVectorizer::lacks_vectors) {
            return Err(bad(
                "its features use word vectors but it holds no vectors table; retrain it".into(),
            ));
        }
        if let Some(shared) = &file.shared {
            if file.group_by.is_none() || !file.models.is_empty() {
                return Err(bad(
                    "shared group weights need a group column and no separate models".into(),
                ));
            }
            shared.validate().map_err(|e| bad(e.to_string()))?;
            file.models = shared.fold();
        }
        if file.models.is_empty() {
            return Err(bad("it holds no models".into()));
        }
        for m in &file.models {
            m.classifier.validate().map_err(|e| bad(e.to_string()))?;
        }
        // Every group answers the same tasks in the same order, and a grouped model names
        // each group once (the outputs' columns and the routing rely on both).
        let tasks = file.task_names();
        for (i, m) in file.models.iter().enumerate() {
            if m.classifier.task_names() != tasks {
                return Err(bad("its groups disagree in their tasks".into()));
            }
            if file.group_by.is_some() {
                match &m.group {
                    None => return Err(bad("a group of its groups has no name".into())),
                    Some(g) if file.models[..i].iter().any(|o| o.group.as_ref() == Some(g)) => {
                        return Err(bad(format!("group `{g}` is named twice")));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(file)
    }
}

/// The word vectors for `--vectors FILE`, at most `max_words` of them: FILE is a vectors file
/// in text form ([`WordVectors::read`]), or a model file trained with vectors, whose stored
/// table is taken, so that a model can be retrained (on more labelled rows, say) with the
/// vectors it shipped with and without the file they came from. Both give the same table for
/// the same words.
pub fn read_word_vectors(path: &Path, max_words: usize) -> Result<Arc<WordVectors>> {
    if !ModelFile::looks_like_model(path)? {
        return Ok(Arc::new(WordVectors::read(path, Some(max_words))?));
    }
    let model = ModelFile::load(path)?;
    let table = model.vector_table().ok_or_else(|| Error::BadModel {
        path: path.into(),
        reason: "it holds no word vectors to take (it was trained without --vectors); give a \
                 vectors file or a model trained with one"
            .into(),
    })?;
    Ok(if table.len() > max_words {
        Arc::new(table.first(max_words))
    } else {
        Arc::clone(table)
    })
}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// SHA-256 of the files' bytes one after another, as lowercase hex: what [`sha256_hex`]
/// gives for their concatenation. The files are streamed, so that hashing a training file
/// does not hold a second copy of it in memory while the model is fitted.
pub fn sha256_of_files(paths: &[&Path]) -> Result<String> {
    use sha2::Digest;
    let mut digest = sha2::Sha256::new();
    for path in paths {
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(*path, e))?;
        std::io::copy(&mut file, &mut digest).map_err(|e| Error::io(*path, e))?;
    }
    Ok(hex(&digest.finalize()))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_hashes_are_sha256_of_the_bytes_one_after_another() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "ab").unwrap();
        std::fs::write(&b, "c").unwrap();
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_hex(b"abc"), abc);
        assert_eq!(sha256_of_files(&[&a, &b]).unwrap(), abc);
        assert_ne!(sha256_of_files(&[&b, &a]).unwrap(), abc);
        assert_eq!(
            sha256_of_files(&[&a]).unwrap(),
            sha256_hex(&std::fs::read(&a).unwrap())
        );
        let missing = dir.path().join("missing.csv");
        let err = sha256_of_files(&[&a, &missing]).unwrap_err().to_string();
        assert!(err.contains("missing.csv"), "{err}");
    }
}
