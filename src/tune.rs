//! Model selection: search feature and model options, score each setting on validation data
//! (or by cross-validation), keep the best and fit the final model with it.
//!
//! The search is cheap because the expensive parts are shared: the vectorizer is fitted once
//! per feature setting (per fold), and for each task and class weighting the C values are
//! visited in increasing order with each fit warm-started from the previous solution. A
//! task is scored by F_avg (mean F1 of `favor` and `against`) when it has both classes, as
//! SemEval-2016 scores stance, and by macro-F1 otherwise. Each task keeps its own best C and
//! class weighting; a feature setting is scored by the mean of its tasks' best scores. The
//! final model of each task is fitted along the same C path as the fit that was scored, so
//! that it is that fit (with a validation file) and not a cold fit that stops elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use linfa::ParamGuard;
use ndarray::Array1;
use rayon::prelude::*;
use sprs::CsMatI;

use crate::classifier::{Classifier, TaskLabels};
use crate::data::Dataset;
use crate::error::{Error, Result, Unseen};
use crate::evaluation::cv::{complement, stratified_folds};
use crate::evaluation::{Confusion, Report};
use crate::features::augment::Augmentation;
use crate::features::{DocFreq, TfidfParams};
use crate::model::{
    fit_path_on, path_params, ClassWeight, Design, LogisticParams, Loss, SparseRecords,
    ValidLogisticParams,
};
use crate::modelfile::GroupModel;
use crate::progress::Progress;
use crate::shared::GroupWeights;
use crate::text::{AnalyzerParams, CharSource, Hashtags};
use crate::train::Fitted;

/// The values to search.
#[derive(Debug, Clone)]
pub struct Grid {
    pub c: Vec<f64>,
    pub loss: Vec<Loss>,
    pub class_weight: Vec<ClassWeight>,
    pub word_ngrams: Vec<(usize, usize)>,
    pub char_ngrams: Vec<Option<(usize, usize)>>,
    /// What character n-grams are taken inside; only searched with characters.
    pub char_source: Vec<CharSource>,
    /// What happens to hashtags before normalisation.
    pub hashtags: Vec<Hashtags>,
    pub sublinear_tf: Vec<bool>,
    /// Norm per part (words, characters) or over the whole row; only searched with characters.
    pub norm_per_part: Vec<bool>,
    pub min_df: Vec<DocFreq>,
    /// Without and with the word-vector block of the base options (`true` needs one).
    pub vectors: Vec<bool>,
    /// How grouped data's groups get their weights; only searched with groups.
    pub group_weights: Vec<GroupWeights>,
}

impl Default for Grid {
    /// C in {0.1, 0.3, 1, 3, 10, 30, 100}, logistic loss, class weight none/balanced, words 1-1/1-2/1-3,
    /// characters off/2-5 (inside tokens), hashtags kept, sublinear tf off/on, norm over the
    /// row/per part, min_df 1/2, separate group weights.
    fn default() -> Self {
        Grid {
            c: vec![0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0],
            loss: vec![Loss::Logistic],
            class_weight: vec![ClassWeight::None, ClassWeight::Balanced],
            word_ngrams: vec![(1, 1), (1, 2), (1, 3)],
            char_ngrams: vec![None, Some((2, 5))],
            char_source: vec![CharSource::Tokens],
            hashtags: vec![Hashtags::Keep],
            sublinear_tf: vec![false, true],
            norm_per_part: vec![false, true],
            min_df: vec![DocFreq::Count(1), DocFreq::Count(2)],
            vectors: vec![false],
            group_weights: vec![GroupWeights::Separate],
        }
    }
}

impl Grid {
    /// The model variants searched for every feature setting: each loss with each class
    /// weighting (each variant is fitted along the whole C path).
    pub fn variants(&self) -> Vec<(Loss, ClassWeight)> {
        self.loss
            .iter()
            .flat_map(|&l| self.class_weight.iter().map(move |&w| (l, w)))
            .collect()
    }

    /// Every feature setting of the grid, built on `base` (which supplies max_df etc.).
    pub fn feature_settings(&self, base: &TfidfParams) -> Vec<TfidfParams> {
        let mut out = Vec::new();
        for &w in &self.word_ngrams {
            for (&ch, &hashtags) in self
                .char_ngrams
                .iter()
                .flat_map(|ch| self.hashtags.iter().map(move |h| (ch, h)))
            {
                // Without characters the source and norm choices make no difference: one
                // setting, kept in its canonical form (tokens, whole row).
                let (sources, norms) = if ch.is_some() {
                    (&self.char_source[..], &self.norm_per_part[..])
                } else {
                    (&[CharSource::Tokens][..], &[false][..])
                };
                for &source in sources {
                    for &per_part in norms {
                        for &sub in &self.sublinear_tf {
                            for (&m, &vectors) in self
                                .min_df
                                .iter()
                                .flat_map(|m| self.vectors.iter().map(move |v| (m, v)))
                            {
                                out.push(TfidfParams {
                                    analyzer: AnalyzerParams {
                                        word_ngrams: w,
                                        char_ngrams: ch,
                                        char_source: source,
                                        hashtags,
                                    },
                                    min_df: m,
                                    sublinear_tf: sub,
                                    norm_per_part: per_part,
                                    vectors: if vectors { base.vectors.clone() } else { None },
                                    ..base.clone()
                                });
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn check(&self) -> Result<()> {
        let mut c = self.c.clone();
        if c.is_empty()
            || self.class_weight.is_empty()
            || self.loss.is_empty()
            || self.norm_per_part.is_empty()
            || self.char_source.is_empty()
            || self.hashtags.is_empty()
            || self.group_weights.is_empty()
            || self.vectors.is_empty()
            || self.feature_settings(&TfidfParams::default()).is_empty()
        {
            return Err(Error::param(
                "grid",
                "every option needs at least one value",
            ));
        }
        c.sort_by(f64::total_cmp);
        for v in c {
            LogisticParams::new().c(v).check().map_err(grid_option)?;
        }
        for setting in self.feature_settings(&TfidfParams::default()) {
            setting.check().map_err(grid_option)?;
        }
        Ok(())
    }
}

/// An option's error as that of the `tune` option that lists its values (regression: a bad
/// `--c-values` or `--ngram-values` was blamed on `-C` or `--ngrams`, which tune does not
/// take).
fn grid_option(e: Error) -> Error {
    match e {
        Error::InvalidParam { name, reason } => {
            let name = match name.as_str() {
                "-C" => "--c-values",
                "--ngrams" => "--ngram-values",
                "--char-ngrams" => "--char-ngram-values",
                "--min-df" => "--min-df-values",
                other => other,
            };
            Error::InvalidParam {
                name: name.to_string(),
                reason,
            }
        }
        e => e,
    }
}

/// How settings are scored.
#[derive(Debug, Clone)]
pub enum Scheme {
    /// Train on the data, score on this validation data.
    Validation(Dataset),
    /// Stratified K-fold cross-validation on the data, with a seed.
    CrossValidation { folds: usize, seed: u64 },
}

/// The score of a task: F_avg when it has favor and against, else macro-F1.
pub fn task_metric(r: &Report) -> f64 {
    r.f_avg.unwrap_or(r.macro_f1)
}

/// The best model options of one task under one feature setting.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TaskChoice {
    pub task: String,
    pub c: f64,
    pub class_weight: ClassWeight,
    /// Absent in files of logistic models (and in files written before the loss was searched).
    #[serde(default, skip_serializing_if = "Loss::is_logistic")]
    pub loss: Loss,
    pub score: f64,
    /// The grid's smaller C values, ascending: the scored fit was warm-started along them,
    /// and the final fit follows the same path so that it is the model that was scored
    /// (see `model/path.rs`). Model files written before this field have none.
    #[serde(default)]
    pub c_path: Vec<f64>,
}

/// One scored feature setting of one group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trial {
    pub group: Option<String>,
    pub tfidf: TfidfParams,
    /// Absent for separate group weights (and in files written before they were searched).
    #[serde(default, skip_serializing_if = "GroupWeights::is_separate")]
    pub group_weights: GroupWeights,
    pub tasks: Vec<TaskChoice>,
    /// Mean of the tasks' best scores.
    pub score: f64,
}

/// The outcome of tuning.
#[derive(Debug, Clone)]
pub struct Tuned {
    /// Every trial, best first within each group.
    pub trials: Vec<Trial>,
    /// The chosen trial of each group.
    pub chosen: Vec<Trial>,
    /// Per task, the chosen settings' predictions scored over all groups together
    /// (validation rows, or out-of-fold rows under cross-validation).
    pub pooled: Vec<(String, Report)>,
    /// How many trials each group (or, with pooled selection, all groups) ranked.
    pub trials_per_unit: usize,
}

/// Rows of one split that belong to `group`.
fn rows_of(data: &Dataset, group: &Option<String>) -> Vec<usize> {
    (0..data.rows.len())
        .filter(|&i| &data.rows[i].group == group)
        .collect()
}

/// Row `i`'s label for task `t` (empty where the row has none).
fn label_of(data: &Dataset, t: usize, i: usize) -> &str {
    data.rows[i].labels[t].as_deref().unwrap_or_default()
}

fn labels_of(data: &Dataset, t: usize, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .map(|&i| label_of(data, t, i).to_string())
        .collect()
}

/// `base`'s iteration limit and tolerance with loss `loss` and class weighting `cw`.
fn with_variant(
    base: &ValidLogisticParams,
    (loss, cw): (Loss, ClassWeight),
) -> Result<ValidLogisticParams> {
    LogisticParams::new()
        .loss(loss)
        .class_weight(cw)
        .max_iterations(base.max_iterations())
        .tolerance(base.tolerance())
        .check()
}

/// The labels a task is scored over: the training data's classes, then any other label
/// the scored rows hold (a validation label never seen in training), in order of appearance.
struct ScoredLabels {
    names: Vec<String>,
    /// How many of `names` are training classes.
    classes: usize,
}

impl ScoredLabels {
    fn new<'a>(classes: &[String], scored: impl IntoIterator<Item = &'a str>) -> ScoredLabels {
        let mut names = classes.to_vec();
        for l in scored {
            if !names.iter().any(|n| n == l) {
                names.push(l.to_string());
            }
        }
        ScoredLabels {
            names,
            classes: classes.len(),
        }
    }

    fn index(&self, label: &str) -> usize {
        self.names
            .iter()
            .position(|n| n == label)
            .expect("every scored and predicted label is listed")
    }
}

/// The confusion counts of one task's predictions, `counts[truth · n + predicted]` over the
/// task's [`ScoredLabels`]. Settings are compared by these, not by the predictions: keeping
/// a label string per scored row for every setting and every (C, class weight, loss) fit
/// until the end made memory grow with the grid (NewsMTSC, 12 word settings × 36 fits under
/// 5-fold cross-validation: peak RSS 298 MB, now 187 MB; the full 60-setting search had
/// peaked at 917 MB).
#[derive(Debug, Clone, PartialEq)]
struct Tally {
    n: usize,
    counts: Vec<usize>,
}

impl Tally {
    fn new(n: usize) -> Tally {
        Tally {
            n,
            counts: vec![0; n * n],
        }
    }

    /// Counts one row: its true label and the predicted one, as indices into the labels.
    fn count(&mut self, truth: usize, predicted: usize) {
        self.counts[truth * self.n + predicted] += 1;
    }

    fn add(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// The report of these counts, listing the training classes and any other label that
    /// occurs, as [`Report::new`] would for the predictions counted.
    fn report(&self, labels: &ScoredLabels) -> Report {
        let n = self.n;
        let occurs = |i: usize| (0..n).any(|j| self.counts[i * n + j] + self.counts[j * n + i] > 0);
        let kept: Vec<usize> = (0..n)
            .filter(|&i| i < labels.classes || occurs(i))
            .collect();
        Report::from_confusion(Confusion {
            labels: kept.iter().map(|&i| labels.names[i].clone()).collect(),
            matrix: kept
                .iter()
                .map(|&i| kept.iter().map(|&j| self.counts[i * n + j]).collect())
                .collect(),
        })
    }
}

/// The counts of every (task, variant, C): index [task][variant][c], variants in
/// [`Grid::variants`] order.
type PathTallies = Vec<Vec<Vec<Tally>>>;

/// Adds `more`'s counts to `out`'s, (task, variant, C) by (task, variant, C): the folds of
/// cross-validation.
fn add_all(out: &mut PathTallies, more: &PathTallies) {
    for (out, more) in out
        .iter_mut()
        .flatten()
        .flatten()
        .zip(more.iter().flatten().flatten())
    {
        out.add(more);
    }
}

/// What every evaluation of a search shares.
struct Search<'a> {
    grid: &'a Grid,
    /// The grid's C values, ascending and without repeats.
    cs: &'a [f64],
    /// Iteration limit and tolerance of every fit.
    base: &'a ValidLogisticParams,
    /// Per task, the labels it is scored over.
    labels: &'a [ScoredLabels],
}

impl Search<'_> {
    /// Empty counts for every (task, variant, C).
    fn no_tallies(&self) -> PathTallies {
        self.labels
            .iter()
            .map(|l| {
                let per_c = vec![Tally::new(l.names.len()); self.cs.len()];
                vec![per_c; self.grid.variants().len()]
            })
            .collect()
    }

    /// Per task, the index of the label of each of `rows` of `data`.
    fn truth(&self, data: &Dataset, rows: &[usize]) -> Vec<Vec<usize>> {
        self.labels
            .iter()
            .enumerate()
            .map(|(t, labels)| {
                rows.iter()
                    .map(|&i| labels.index(label_of(data, t, i)))
                    .collect()
            })
            .collect()
    }
}

/// Fits the C path of every task on (`x_train`, labels), predicts `x_test` and counts the
/// predictions against `truth` (per task, the index of each test row's label).
fn c_paths(
    search: &Search,
    x_train: CsMatI<f32, u32, usize>,
    train_labels: &[Vec<String>],
    x_test: &SparseRecords,
    truth: &[Vec<usize>],
) -> Result<PathTallies> {
    let Search {
        grid,
        cs,
        base,
        labels,
    } = *search;
    // Every task, variant and C is fitted on the same matrix: prepare it once, from the
    // TF-IDF matrix's own memory (the fits need only the prepared copy).
    let design = Design::from_owned(x_train);
    let variants = grid.variants();
    train_labels
        .iter()
        .zip(truth.iter().zip(labels))
        .map(|(train_labels, (truth, labels))| {
            let targets = Array1::from(train_labels.clone());
            variants
                .iter()
                .map(|&v| {
                    let mut tallies = Vec::with_capacity(cs.len());
                    fit_path_on(
                        &design,
                        targets.view(),
                        &path_params(cs, &with_variant(base, v)?)?,
                        |model| {
                            let index: Vec<usize> =
                                model.classes().iter().map(|c| labels.index(c)).collect();
                            let mut tally = Tally::new(labels.names.len());
                            let predicted = model.try_predict_index(x_test)?;
                            for (&t, &p) in truth.iter().zip(&predicted) {
                                tally.count(t, index[p]);
                            }
                            tallies.push(tally);
                            Ok(())
                        },
                    )?;
                    Ok(tallies)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect()
}

/// Scores one feature setting on one group: the counts of every (task, variant, C) over
/// the group's scored rows.
fn evaluate_setting(
    search: &Search,
    train: &Dataset,
    scheme: &Scheme,
    group: &Option<String>,
    tfidf: &TfidfParams,
) -> Result<PathTallies> {
    let train_rows = rows_of(train, group);
    let n_tasks = train.tasks.len();
    match scheme {
        Scheme::Validation(val) => {
            let val_rows = rows_of(val, group);
            let texts: Vec<&str> = train_rows
                .iter()
                .map(|&i| train.rows[i].text.as_str())
                .collect();
            let (vectorizer, x) = tfidf.fit_transform_f32(&texts)?;
            let val_texts: Vec<&str> = val_rows
                .iter()
                .map(|&i| val.rows[i].text.as_str())
                .collect();
            let x_val = SparseRecords(vectorizer.transform(&val_texts));
            let labels: Vec<Vec<String>> = (0..n_tasks)
                .map(|t| labels_of(train, t, &train_rows))
                .collect();
            let truth = search.truth(val, &val_rows);
            c_paths(search, x, &labels, &x_val, &truth)
        }
        Scheme::CrossValidation { folds, seed } => {
            // Stratify on the first task so that every task shares the folds (and so the
            // vectorizer is fitted once per fold).
            let first = labels_of(train, 0, &train_rows);
            let fold_rows = stratified_folds(&first, *folds, *seed, &train.tasks[0])?;
            let n = train_rows.len();
            let mut out = search.no_tallies();
            for test in &fold_rows {
                let tr = complement(n, test);
                let texts: Vec<&str> = tr
                    .iter()
                    .map(|&i| train.rows[train_rows[i]].text.as_str())
                    .collect();
                let (vectorizer, x) = tfidf.fit_transform_f32(&texts)?;
                let test_texts: Vec<&str> = test
                    .iter()
                    .map(|&i| train.rows[train_rows[i]].text.as_str())
                    .collect();
                let x_test = SparseRecords(vectorizer.transform(&test_texts));
                let tr_global: Vec<usize> = tr.iter().map(|&i| train_rows[i]).collect();
                let labels: Vec<Vec<String>> = (0..n_tasks)
                    .map(|t| labels_of(train, t, &tr_global))
                    .collect();
                let test_global: Vec<usize> = test.iter().map(|&i| train_rows[i]).collect();
                let truth = search.truth(train, &test_global);
                let fold = c_paths(search, x, &labels, &x_test, &truth)?;
                add_all(&mut out, &fold);
            }
            Ok(out)
        }
    }
}

/// How settings are chosen when there are groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Selection {
    /// One feature setting, and one C and class weighting per task, for every group, chosen
    /// on all groups' scored rows together (steadier when each group has few of them).
    #[default]
    Pooled,
    /// Each group chooses its own setting on its own scored rows.
    PerGroup,
}

impl std::str::FromStr for Selection {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "pooled" => Ok(Selection::Pooled),
            "per-group" => Ok(Selection::PerGroup),
            _ => Err(format!("`{s}` is not a selection; use pooled or per-group")),
        }
    }
}

/// Scores one feature setting with shared group weights: one vectorizer and one fit on the
/// augmented features of every group's training rows, the counts of every (task, variant,
/// C) over all groups' scored rows. `groups` are the training data's groups; scored rows of
/// other groups are left out, as they are with separate weights.
fn evaluate_shared(
    search: &Search,
    train: &Dataset,
    scheme: &Scheme,
    groups: &[Option<String>],
    tfidf: &TfidfParams,
) -> Result<PathTallies> {
    let index = |data: &Dataset| -> Vec<(usize, usize)> {
        (0..data.rows.len())
            .filter_map(|i| {
                let g = groups.iter().position(|g| *g == data.rows[i].group)?;
                Some((i, g))
            })
            .collect()
    };
    let n_tasks = train.tasks.len();
    // Fits on `fit` rows of `train` and counts on `scored` rows of `scored_data`
    // (row, group) pairs.
    let score = |fit: &[(usize, usize)], scored_data: &Dataset, scored: &[(usize, usize)]| {
        let texts: Vec<&str> = fit
            .iter()
            .map(|&(i, _)| train.rows[i].text.as_str())
            .collect();
        let (vectorizer, x) = tfidf.fit_transform_f32(&texts)?;
        let fit_groups: Vec<usize> = fit.iter().map(|&(_, g)| g).collect();
        let aug = Augmentation::fit(&x, &fit_groups, groups.len())?;
        let x = aug.transform(&x, &fit_groups);
        let scored_texts: Vec<&str> = scored
            .iter()
            .map(|&(i, _)| scored_data.rows[i].text.as_str())
            .collect();
        let scored_groups: Vec<usize> = scored.iter().map(|&(_, g)| g).collect();
        let x_scored =
            SparseRecords(aug.transform(&vectorizer.transform(&scored_texts), &scored_groups));
        let fit_rows: Vec<usize> = fit.iter().map(|&(i, _)| i).collect();
        let labels: Vec<Vec<String>> = (0..n_tasks)
            .map(|t| labels_of(train, t, &fit_rows))
            .collect();
        let scored_rows: Vec<usize> = scored.iter().map(|&(i, _)| i).collect();
        let truth = search.truth(scored_data, &scored_rows);
        c_paths(search, x, &labels, &x_scored, &truth)
    };
    let train_rows = index(train);
    match scheme {
        Scheme::Validation(val) => score(&train_rows, val, &index(val)),
        Scheme::CrossValidation { folds, seed } => {
            // Folds over every row, stratified on the first task.
            let rows: Vec<usize> = train_rows.iter().map(|&(i, _)| i).collect();
            let first = labels_of(train, 0, &rows);
            let fold_rows = stratified_folds(&first, *folds, *seed, &train.tasks[0])?;
            let mut out = search.no_tallies();
            for test in &fold_rows {
                let fit: Vec<(usize, usize)> = complement(rows.len(), test)
                    .into_iter()
                    .map(|k| train_rows[k])
                    .collect();
                let scored: Vec<(usize, usize)> = test.iter().map(|&k| train_rows[k]).collect();
                let fold = score(&fit, train, &scored)?;
                add_all(&mut out, &fold);
            }
            Ok(out)
        }
    }
}

/// Picks, per task, the (variant, C) with the best metric over the counts of `parts` (one
/// per group) added up; returns the choices and their added counts.
fn choose(
    parts: &[&PathTallies],
    tasks: &[String],
    search: &Search,
) -> (Vec<TaskChoice>, Vec<Tally>) {
    let mut choices = Vec::new();
    let mut chosen = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let mut best: Option<(TaskChoice, Tally)> = None;
        for (w, (loss, cw)) in search.grid.variants().into_iter().enumerate() {
            for (ci, &c) in search.cs.iter().enumerate() {
                let mut tally = Tally::new(search.labels[t].names.len());
                for part in parts {
                    tally.add(&part[t][w][ci]);
                }
                let score = task_metric(&tally.report(&search.labels[t]));
                if best.as_ref().is_none_or(|(b, _)| score > b.score) {
                    let choice = TaskChoice {
                        task: task.clone(),
                        c,
                        class_weight: cw,
                        loss,
                        score,
                        c_path: search.cs[..ci].to_vec(),
                    };
                    best = Some((choice, tally));
                }
            }
        }
        if let Some((choice, tally)) = best {
            chosen.push(tally);
            choices.push(choice);
        }
    }
    (choices, chosen)
}

/// Refuses validation rows the training data cannot speak for (regression: rows of a group
/// the training data lacks were dropped without a word, so a search could choose on no rows
/// at all, and labels the training data never has were scored, and with `--refit-all` even
/// learnt). Each row's group must be a training group, and each label one that the
/// training rows of its group carry.
fn check_validation(train: &Dataset, validation: &Dataset) -> Result<()> {
    let mut known: BTreeMap<(Option<&str>, usize), BTreeSet<&str>> = BTreeMap::new();
    for r in &train.rows {
        for (t, label) in r.labels.iter().enumerate() {
            let entry = known.entry((r.group.as_deref(), t)).or_default();
            if let Some(l) = label {
                entry.insert(l.as_str());
            }
        }
    }
    let groups: BTreeSet<Option<&str>> = train.rows.iter().map(|r| r.group.as_deref()).collect();
    let refuse = |what, column: &str, bad: Vec<(&crate::data::Row, &str)>, known: String| {
        let (first, value) = bad[0];
        Err(Error::NotInTraining {
            path: validation.path.clone(),
            line: first.line,
            what,
            column: column.to_string(),
            value: value.to_string(),
            known,
            count: bad.len(),
        })
    };
    let unseen_groups: Vec<_> = validation
        .rows
        .iter()
        .filter(|r| !groups.contains(&r.group.as_deref()))
        .map(|r| (r, r.group.as_deref().unwrap_or_default()))
        .collect();
    if !unseen_groups.is_empty() {
        let names: Vec<&str> = groups.iter().map(|g| g.unwrap_or_default()).collect();
        let column = validation.group_column.as_deref().unwrap_or("group");
        return refuse(Unseen::Group, column, unseen_groups, names.join(", "));
    }
    for (t, task) in validation.tasks.iter().enumerate() {
        let unseen: Vec<_> = validation
            .rows
            .iter()
            .filter_map(|r| {
                let label = r.labels[t].as_deref()?;
                let classes = &known[&(r.group.as_deref(), t)];
                (!classes.contains(label)).then_some((r, label))
            })
            .collect();
        if let Some(&(first, _)) = unseen.first() {
            let classes = &known[&(first.group.as_deref(), t)];
            let names: Vec<&str> = classes.iter().copied().collect();
            return refuse(Unseen::Label, task, unseen, names.join(", "));
        }
    }
    Ok(())
}

/// Searches `grid` on `train`, scoring with `scheme`, and returns the ranking and choices.
pub fn tune(
    train: &Dataset,
    scheme: &Scheme,
    grid: &Grid,
    selection: Selection,
    base_tfidf: &TfidfParams,
    base_logistic: &LogisticParams,
    progress: &mut dyn Progress,
) -> Result<Tuned> {
    grid.check()?;
    if grid.vectors.contains(&true) && base_tfidf.vectors.is_none() {
        return Err(Error::param(
            "--vector-values",
            "`on` needs word vectors; give --vectors FILE",
        ));
    }
    base_tfidf.check()?;
    let base = base_logistic.clone().check()?;
    if train.tasks.is_empty() {
        return Err(Error::NoInput("no label columns to tune for".into()));
    }
    let score_data: &Dataset = match scheme {
        Scheme::Validation(v) => {
            if v.tasks != train.tasks {
                return Err(Error::param(
                    "--validation",
                    format!(
                        "its label columns ({}) differ from the training data's ({})",
                        v.tasks.join(", "),
                        train.tasks.join(", ")
                    ),
                ));
            }
            check_validation(train, v)?;
            v
        }
        Scheme::CrossValidation { .. } => train,
    };
    let mut cs = grid.c.clone();
    cs.sort_by(f64::total_cmp);
    cs.dedup();
    let settings = grid.feature_settings(base_tfidf);
    let group_rows = crate::train::groups(train);
    // Every group must have two classes of every task before the search begins, named as
    // `train` names them (regression: the search's fit said "column `target` has only one
    // class", naming its own array of targets rather than the task and the group).
    for (group, rows) in &group_rows {
        for (t, task) in train.tasks.iter().enumerate() {
            let mut seen: Vec<&str> = rows
                .iter()
                .filter_map(|&i| train.rows[i].labels[t].as_deref())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() < 2 {
                let one = Error::SingleClass {
                    task: task.clone(),
                    class: seen.first().map(|c| c.to_string()).unwrap_or_default(),
                };
                return Err(crate::train::in_group(one, group));
            }
        }
    }
    // Separate fits cross-validate each group on its own rows: its folds must be possible,
    // which is known now rather than after the first settings' fits (so `evaluate_setting`
    // meets no such error).
    for (group, rows) in &group_rows {
        let separate = group.is_none() || grid.group_weights.contains(&GroupWeights::Separate);
        if let (Scheme::CrossValidation { folds, seed }, true) = (scheme, separate) {
            let first = labels_of(train, 0, rows);
            stratified_folds(&first, *folds, *seed, &train.tasks[0])
                .map_err(|e| crate::train::in_group(e, group))?;
        }
    }
    let groups: Vec<Option<String>> = group_rows.into_iter().map(|(g, _)| g).collect();
    let classes: Vec<Vec<String>> = (0..train.tasks.len())
        .map(|t| train.label_counts(t).into_keys().collect())
        .collect();
    let labels: Vec<ScoredLabels> = (0..train.tasks.len())
        .map(|t| {
            let scored = (0..score_data.rows.len()).map(|i| label_of(score_data, t, i));
            ScoredLabels::new(&classes[t], scored)
        })
        .collect();
    let search = Search {
        grid,
        cs: &cs,
        base: &base,
        labels: &labels,
    };
    // Shared weights only mean something with groups; without, every setting is separate.
    let grouped = groups.iter().any(|g| g.is_some());
    let modes: Vec<GroupWeights> = if grouped {
        grid.group_weights.clone()
    } else {
        vec![GroupWeights::Separate]
    };
    let separate = modes.contains(&GroupWeights::Separate);
    let shared = modes.contains(&GroupWeights::Shared);
    if shared && selection == Selection::PerGroup {
        return Err(Error::param(
            "--group-weights-values",
            "shared weights are chosen for all groups together; use --select pooled",
        ));
    }
    let fits = if separate { groups.len() } else { 0 } + usize::from(shared);
    progress.start("tuning", (fits * settings.len()) as u64);
    // scored[g][s], with separate weights
    let mut scored: Vec<Vec<PathTallies>> = Vec::with_capacity(groups.len());
    for group in groups.iter().filter(|_| separate) {
        let results: Vec<Result<PathTallies>> = settings
            .par_iter()
            .map(|tfidf| evaluate_setting(&search, train, scheme, group, tfidf))
            .collect();
        let mut per_setting = Vec::with_capacity(results.len());
        for r in results {
            per_setting.push(r?);
            progress.step();
        }
        scored.push(per_setting);
    }
    // shared_scored[s], with shared weights
    let mut shared_scored: Vec<PathTallies> = Vec::new();
    if shared {
        let results: Vec<Result<PathTallies>> = settings
            .par_iter()
            .map(|tfidf| evaluate_shared(&search, train, scheme, &groups, tfidf))
            .collect();
        for r in results {
            shared_scored.push(r?);
            progress.step();
        }
    }
    progress.finish();
    // Every (group weighting, feature setting) a unit of groups ranks.
    let candidates: Vec<(GroupWeights, usize)> = modes
        .iter()
        .flat_map(|&m| (0..settings.len()).map(move |s| (m, s)))
        .collect();

    // Candidate units: each group alone, or all groups together.
    let units: Vec<Vec<usize>> = match selection {
        Selection::PerGroup => (0..groups.len()).map(|g| vec![g]).collect(),
        Selection::Pooled => vec![(0..groups.len()).collect()],
    };
    let mut trials = Vec::new();
    let mut chosen = Vec::new();
    let mut pooled: Vec<Tally> = labels.iter().map(|l| Tally::new(l.names.len())).collect();
    for unit in units {
        let unit_group = if unit.len() == 1 {
            groups[unit[0]].clone()
        } else {
            None
        };
        let mut ranked: Vec<(Trial, Vec<Tally>)> = candidates
            .iter()
            .map(|&(mode, s)| {
                let parts: Vec<&PathTallies> = match mode {
                    GroupWeights::Separate => unit.iter().map(|&g| &scored[g][s]).collect(),
                    GroupWeights::Shared => vec![&shared_scored[s]],
                };
                let (tasks, tallies) = choose(&parts, &train.tasks, &search);
                let score = tasks.iter().map(|c| c.score).sum::<f64>() / tasks.len().max(1) as f64;
                (
                    Trial {
                        group: unit_group.clone(),
                        tfidf: settings[s].clone(),
                        group_weights: mode,
                        tasks,
                        score,
                    },
                    tallies,
                )
            })
            .collect();
        // Best first; ties keep grid order (a stable sort), so the choice is reproducible.
        ranked.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        let (best, tallies) = &ranked[0];
        for (sum, tally) in pooled.iter_mut().zip(tallies) {
            sum.add(tally);
        }
        for &g in &unit {
            chosen.push(Trial {
                group: groups[g].clone(),
                ..best.clone()
            });
        }
        trials.extend(ranked.into_iter().map(|(t, _)| t));
    }
    let pooled = train
        .tasks
        .iter()
        .zip(pooled.iter().zip(&labels))
        .map(|(name, (tally, labels))| (name.clone(), tally.report(labels)))
        .collect();
    Ok(Tuned {
        trials,
        chosen,
        pooled,
        trials_per_unit: candidates.len(),
    })
}

/// Each task's parameters along the C path its chosen fit was scored on, ending at the
/// chosen C.
fn chosen_paths(
    trial: &Trial,
    base: &ValidLogisticParams,
) -> Result<Vec<Vec<ValidLogisticParams>>> {
    trial
        .tasks
        .iter()
        .map(|choice| {
            let mut cs = choice.c_path.clone();
            cs.push(choice.c);
            path_params(
                &cs,
                &with_variant(base, (choice.loss, choice.class_weight))?,
            )
        })
        .collect()
}

/// Fits the final models with the chosen settings on `data`'s rows: each group's classifier,
/// or the one fit with shared group weights.
pub fn fit_chosen(data: &Dataset, tuned: &Tuned, base_logistic: &LogisticParams) -> Result<Fitted> {
    let base = base_logistic.clone().check()?;
    if let Some(trial) = tuned
        .chosen
        .first()
        .filter(|t| t.group_weights == GroupWeights::Shared)
    {
        let rows: Vec<usize> = (0..data.rows.len()).collect();
        let paths = chosen_paths(trial, &base)?;
        return Ok(Fitted::Shared(crate::train::fit_shared(
            data,
            &rows,
            &trial.tfidf,
            &paths,
        )?));
    }
    let fitted = tuned
        .chosen
        .iter()
        .map(|trial| {
            let rows = rows_of(data, &trial.group);
            let texts: Vec<&str> = rows.iter().map(|&i| data.rows[i].text.as_str()).collect();
            let tasks: Vec<TaskLabels> = data
                .tasks
                .iter()
                .enumerate()
                .map(|(t, name)| TaskLabels {
                    name: name.clone(),
                    labels: labels_of(data, t, &rows),
                })
                .collect();
            let paths = chosen_paths(trial, &base)?;
            Ok(GroupModel {
                group: trial.group.clone(),
                classifier: Classifier::fit_per_task(&texts, &tasks, &trial.tfidf, &paths)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Fitted::Separate(fitted))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts give the report the predictions give, a validation label unseen in training
    /// included where it occurs and left out where it does not.
    #[test]
    fn tally_reports_as_the_predictions_would() {
        let classes: Vec<String> = ["against", "favor", "none"].map(String::from).to_vec();
        let labels = ScoredLabels::new(&classes, ["none", "unseen", "favor"]);
        assert_eq!(labels.names.len(), 4);
        let tally_of = |truth: &[&str], predicted: &[&str]| {
            let mut tally = Tally::new(labels.names.len());
            for (t, p) in truth.iter().zip(predicted) {
                tally.count(labels.index(t), labels.index(p));
            }
            tally
        };
        let truth = ["favor", "unseen", "against", "none", "favor"];
        let predicted = ["favor", "none", "favor", "none", "against"];
        let with_unseen = tally_of(&truth, &predicted);
        assert_eq!(
            with_unseen.report(&labels),
            Report::new(&classes, &truth, &predicted)
        );
        let (truth, predicted) = (&truth[2..], &predicted[2..]);
        let without = tally_of(truth, predicted);
        assert_eq!(
            without.report(&labels),
            Report::new(&classes, truth, predicted)
        );
        assert_eq!(without.report(&labels).confusion.labels, classes);
        let mut sum = without.clone();
        sum.add(&without);
        assert_eq!(sum.report(&labels).n, 6);
    }

    /// `grid`'s feature settings, which must number `n`, none twice.
    fn distinct_settings(grid: &Grid, n: usize) -> Vec<TfidfParams> {
        let settings = grid.feature_settings(&TfidfParams::default());
        assert_eq!(settings.len(), n);
        for (i, a) in settings.iter().enumerate() {
            assert!(settings[i + 1..].iter().all(|b| a != b), "duplicate {a:?}");
        }
        settings
    }

    /// The norm is searched only where it changes something: 3 word ranges × (1 without
    /// characters + 2 norms with them) × 2 sublinear × 2 min_df = 36 settings, no duplicates.
    #[test]
    fn norm_is_searched_only_with_characters() {
        let settings = distinct_settings(&Grid::default(), 36);
        for a in &settings {
            if a.analyzer.char_ngrams.is_none() {
                assert!(!a.norm_per_part);
            }
        }
        assert_eq!(settings.iter().filter(|s| s.norm_per_part).count(), 12);
    }

    /// Every loss is paired with every class weighting, losses outermost (the order of the
    /// prediction tables and of the search).
    #[test]
    fn variants_pair_every_loss_with_every_class_weight() {
        let grid = Grid {
            loss: vec![Loss::Logistic, Loss::SquaredHinge],
            ..Grid::default()
        };
        assert_eq!(
            grid.variants(),
            [
                (Loss::Logistic, ClassWeight::None),
                (Loss::Logistic, ClassWeight::Balanced),
                (Loss::SquaredHinge, ClassWeight::None),
                (Loss::SquaredHinge, ClassWeight::Balanced),
            ]
        );
        let empty = Grid {
            loss: vec![],
            ..Grid::default()
        };
        assert!(empty.check().is_err());
    }

    /// The hashtag treatment doubles every setting (it changes words and characters alike):
    /// 2 × 36 = 72, no duplicates, half of them splitting.
    #[test]
    fn hashtags_are_searched_with_every_setting() {
        let grid = Grid {
            hashtags: vec![Hashtags::Keep, Hashtags::Split],
            ..Grid::default()
        };
        let settings = distinct_settings(&grid, 72);
        let split = settings
            .iter()
            .filter(|s| s.analyzer.hashtags == Hashtags::Split)
            .count();
        assert_eq!(split, 36);
        let none = Grid {
            hashtags: vec![],
            ..Grid::default()
        };
        assert!(none.check().is_err());
    }

    /// Like the norm, the character source doubles only the settings with characters:
    /// 12 without + 2 sources × 24 with = 60, no duplicates.
    #[test]
    fn char_source_is_searched_only_with_characters() {
        let grid = Grid {
            char_source: vec![CharSource::Tokens, CharSource::Words],
            ..Grid::default()
        };
        let settings = distinct_settings(&grid, 60);
        for a in &settings {
            if a.analyzer.char_ngrams.is_none() {
                assert_eq!(a.analyzer.char_source, CharSource::Tokens);
            }
        }
        let words = settings
            .iter()
            .filter(|s| s.analyzer.char_source == CharSource::Words)
            .count();
        assert_eq!(words, 24);
    }
}
