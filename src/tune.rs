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

use linfa::ParamGuard;
use ndarray::Array1;
use rayon::prelude::*;

use crate::classifier::{Classifier, TaskLabels};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::evaluation::cv::{complement, stratified_folds};
use crate::evaluation::Report;
use crate::features::{DocFreq, TfidfParams};
use crate::model::{
    fit_path_on, path_params, ClassWeight, Design, LogisticParams, Loss, SparseRecords,
    ValidLogisticParams,
};
use crate::progress::Progress;
use crate::text::{AnalyzerParams, CharSource};

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
    pub sublinear_tf: Vec<bool>,
    /// Norm per part (words, characters) or over the whole row; only searched with characters.
    pub norm_per_part: Vec<bool>,
    pub min_df: Vec<DocFreq>,
}

impl Default for Grid {
    /// C in {0.1, 0.3, 1, 3, 10, 30, 100}, logistic loss, class weight none/balanced, words 1-1/1-2/1-3,
    /// characters off/2-5 (inside tokens), sublinear tf off/on, norm over the row/per part,
    /// min_df 1/2.
    fn default() -> Self {
        Grid {
            c: vec![0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0],
            loss: vec![Loss::Logistic],
            class_weight: vec![ClassWeight::None, ClassWeight::Balanced],
            word_ngrams: vec![(1, 1), (1, 2), (1, 3)],
            char_ngrams: vec![None, Some((2, 5))],
            char_source: vec![CharSource::Tokens],
            sublinear_tf: vec![false, true],
            norm_per_part: vec![false, true],
            min_df: vec![DocFreq::Count(1), DocFreq::Count(2)],
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
            for &ch in &self.char_ngrams {
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
                            for &m in &self.min_df {
                                out.push(TfidfParams {
                                    analyzer: AnalyzerParams {
                                        word_ngrams: w,
                                        char_ngrams: ch,
                                        char_source: source,
                                    },
                                    min_df: m,
                                    sublinear_tf: sub,
                                    norm_per_part: per_part,
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
            || self.feature_settings(&TfidfParams::default()).is_empty()
        {
            return Err(Error::param(
                "grid",
                "every option needs at least one value",
            ));
        }
        c.sort_by(f64::total_cmp);
        for v in c {
            LogisticParams::new().c(v).check()?;
        }
        Ok(())
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
}

/// Rows of one split that belong to `group`.
fn rows_of(data: &Dataset, group: &Option<String>) -> Vec<usize> {
    (0..data.rows.len())
        .filter(|&i| &data.rows[i].group == group)
        .collect()
}

fn labels_of(data: &Dataset, t: usize, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .map(|&i| data.rows[i].labels[t].clone().unwrap_or_default())
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

/// Predicted labels for `x` under every (task, variant, C): index [task][variant][c][row],
/// variants in [`Grid::variants`] order.
type PathPredictions = Vec<Vec<Vec<Vec<String>>>>;

/// Fits the C path of every task on (`x_train`, labels) and predicts `x_test`.
fn c_paths(
    x_train: &SparseRecords,
    train_labels: &[Vec<String>],
    x_test: &SparseRecords,
    grid: &Grid,
    cs: &[f64],
    base: &ValidLogisticParams,
) -> Result<PathPredictions> {
    // Every task, variant and C is fitted on the same matrix: prepare it once.
    let design = Design::new(&x_train.0);
    let variants = grid.variants();
    train_labels
        .iter()
        .map(|labels| {
            let targets = Array1::from(labels.clone());
            variants
                .iter()
                .map(|&v| {
                    let mut preds = Vec::with_capacity(cs.len());
                    fit_path_on(
                        &design,
                        targets.view(),
                        &path_params(cs, &with_variant(base, v)?)?,
                        |model| {
                            preds.push(model.try_predict(x_test)?.to_vec());
                            Ok(())
                        },
                    )?;
                    Ok(preds)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect()
}

/// Scores one feature setting on one group: returns per task the predictions on the scored
/// rows for every (variant, C), and the scored rows' indices into `score_data`.
#[allow(clippy::too_many_arguments)]
fn evaluate_setting(
    train: &Dataset,
    scheme: &Scheme,
    group: &Option<String>,
    tfidf: &TfidfParams,
    grid: &Grid,
    cs: &[f64],
    base: &ValidLogisticParams,
) -> Result<(PathPredictions, Vec<usize>)> {
    let train_rows = rows_of(train, group);
    let n_tasks = train.tasks.len();
    match scheme {
        Scheme::Validation(val) => {
            let val_rows = rows_of(val, group);
            let texts: Vec<&str> = train_rows
                .iter()
                .map(|&i| train.rows[i].text.as_str())
                .collect();
            let (vectorizer, x) = tfidf.fit_transform(&texts)?;
            let val_texts: Vec<&str> = val_rows
                .iter()
                .map(|&i| val.rows[i].text.as_str())
                .collect();
            let x_val = SparseRecords(vectorizer.transform(&val_texts));
            let labels: Vec<Vec<String>> = (0..n_tasks)
                .map(|t| labels_of(train, t, &train_rows))
                .collect();
            let preds = c_paths(&SparseRecords(x), &labels, &x_val, grid, cs, base)?;
            Ok((preds, val_rows))
        }
        Scheme::CrossValidation { folds, seed } => {
            // Stratify on the first task so that every task shares the folds (and so the
            // vectorizer is fitted once per fold).
            let first = labels_of(train, 0, &train_rows);
            let fold_rows = stratified_folds(&first, *folds, *seed, &train.tasks[0])?;
            let n = train_rows.len();
            let mut out: PathPredictions =
                vec![vec![vec![vec![String::new(); n]; cs.len()]; grid.variants().len()]; n_tasks];
            for test in &fold_rows {
                let tr = complement(n, test);
                let texts: Vec<&str> = tr
                    .iter()
                    .map(|&i| train.rows[train_rows[i]].text.as_str())
                    .collect();
                let (vectorizer, x) = tfidf.fit_transform(&texts)?;
                let test_texts: Vec<&str> = test
                    .iter()
                    .map(|&i| train.rows[train_rows[i]].text.as_str())
                    .collect();
                let x_test = SparseRecords(vectorizer.transform(&test_texts));
                let tr_global: Vec<usize> = tr.iter().map(|&i| train_rows[i]).collect();
                let labels: Vec<Vec<String>> = (0..n_tasks)
                    .map(|t| labels_of(train, t, &tr_global))
                    .collect();
                let preds = c_paths(&SparseRecords(x), &labels, &x_test, grid, cs, base)?;
                for (t, per_cw) in preds.into_iter().enumerate() {
                    for (w, per_c) in per_cw.into_iter().enumerate() {
                        for (ci, p) in per_c.into_iter().enumerate() {
                            for (k, label) in test.iter().zip(p) {
                                out[t][w][ci][*k] = label;
                            }
                        }
                    }
                }
            }
            Ok((out, train_rows))
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

/// What one (group, setting) evaluation produced.
struct Scored {
    preds: PathPredictions,
    rows: Vec<usize>,
}

/// Picks, per task, the (variant, C) with the best metric over the given
/// (predictions, truth) pairs concatenated; returns the choices and their predictions.
fn choose(
    parts: &[(&PathPredictions, Vec<Vec<String>>)],
    tasks: &[String],
    classes: &[Vec<String>],
    grid: &Grid,
    cs: &[f64],
) -> (Vec<TaskChoice>, Vec<Vec<Vec<String>>>) {
    let mut choices = Vec::new();
    let mut chosen_preds = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let truth: Vec<String> = parts
            .iter()
            .flat_map(|(_, tr)| tr[t].iter().cloned())
            .collect();
        let mut best: Option<(TaskChoice, usize, usize)> = None;
        for (w, (loss, cw)) in grid.variants().into_iter().enumerate() {
            for (ci, &c) in cs.iter().enumerate() {
                let pred: Vec<String> = parts
                    .iter()
                    .flat_map(|(p, _)| p[t][w][ci].iter().cloned())
                    .collect();
                let score = task_metric(&Report::new(&classes[t], &truth, &pred));
                if best.as_ref().is_none_or(|(b, _, _)| score > b.score) {
                    best = Some((
                        TaskChoice {
                            task: task.clone(),
                            c,
                            class_weight: cw,
                            loss,
                            score,
                            c_path: cs[..ci].to_vec(),
                        },
                        w,
                        ci,
                    ));
                }
            }
        }
        if let Some((choice, w, ci)) = best {
            chosen_preds.push(parts.iter().map(|(p, _)| p[t][w][ci].clone()).collect());
            choices.push(choice);
        }
    }
    (choices, chosen_preds)
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
            v
        }
        Scheme::CrossValidation { .. } => train,
    };
    let mut cs = grid.c.clone();
    cs.sort_by(f64::total_cmp);
    cs.dedup();
    let settings = grid.feature_settings(base_tfidf);
    let groups: Vec<Option<String>> = crate::train::groups(train)
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    let classes: Vec<Vec<String>> = (0..train.tasks.len())
        .map(|t| train.label_counts(t).into_keys().collect())
        .collect();
    progress.start("tuning", (groups.len() * settings.len()) as u64);
    // scored[g][s]
    let mut scored: Vec<Vec<Scored>> = Vec::with_capacity(groups.len());
    for group in &groups {
        let results: Vec<Result<Scored>> = settings
            .par_iter()
            .map(|tfidf| {
                let (preds, rows) =
                    evaluate_setting(train, scheme, group, tfidf, grid, &cs, &base)?;
                Ok(Scored { preds, rows })
            })
            .collect();
        let mut per_setting = Vec::with_capacity(results.len());
        for r in results {
            per_setting.push(r?);
            progress.step();
        }
        scored.push(per_setting);
    }
    progress.finish();
    let truth_of = |rows: &[usize]| -> Vec<Vec<String>> {
        (0..train.tasks.len())
            .map(|t| labels_of(score_data, t, rows))
            .collect()
    };

    // Candidate units: each group alone, or all groups together.
    let units: Vec<Vec<usize>> = match selection {
        Selection::PerGroup => (0..groups.len()).map(|g| vec![g]).collect(),
        Selection::Pooled => vec![(0..groups.len()).collect()],
    };
    let mut trials = Vec::new();
    let mut chosen = Vec::new();
    let mut pooled_truth: Vec<Vec<String>> = vec![Vec::new(); train.tasks.len()];
    let mut pooled_pred: Vec<Vec<String>> = vec![Vec::new(); train.tasks.len()];
    for unit in units {
        let unit_group = if unit.len() == 1 {
            groups[unit[0]].clone()
        } else {
            None
        };
        let mut ranked: Vec<(Trial, Vec<Vec<Vec<String>>>)> = settings
            .iter()
            .enumerate()
            .map(|(s, tfidf)| {
                let parts: Vec<(&PathPredictions, Vec<Vec<String>>)> = unit
                    .iter()
                    .map(|&g| (&scored[g][s].preds, truth_of(&scored[g][s].rows)))
                    .collect();
                let (tasks, preds) = choose(&parts, &train.tasks, &classes, grid, &cs);
                let score = tasks.iter().map(|c| c.score).sum::<f64>() / tasks.len().max(1) as f64;
                (
                    Trial {
                        group: unit_group.clone(),
                        tfidf: tfidf.clone(),
                        tasks,
                        score,
                    },
                    preds,
                )
            })
            .collect();
        // Best first; ties keep grid order (a stable sort), so the choice is reproducible.
        ranked.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        let (best, preds) = ranked[0].clone();
        let best_setting = settings.iter().position(|x| *x == best.tfidf).unwrap_or(0);
        for (t, per_part) in preds.into_iter().enumerate() {
            for (k, p) in per_part.into_iter().enumerate() {
                let g = unit[k];
                pooled_truth[t].extend(labels_of(score_data, t, &scored[g][best_setting].rows));
                pooled_pred[t].extend(p);
            }
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
        .enumerate()
        .map(|(t, name)| {
            (
                name.clone(),
                Report::new(&classes[t], &pooled_truth[t], &pooled_pred[t]),
            )
        })
        .collect();
    Ok(Tuned {
        trials,
        chosen,
        pooled,
    })
}

/// Fits the final classifier of each group with its chosen setting on `data`'s rows.
pub fn fit_chosen(
    data: &Dataset,
    tuned: &Tuned,
    base_logistic: &LogisticParams,
) -> Result<Vec<(Option<String>, Classifier)>> {
    let base = base_logistic.clone().check()?;
    tuned
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
            // Along the path the chosen fit was scored on, ending at the chosen C.
            let paths = trial
                .tasks
                .iter()
                .map(|choice| {
                    let mut cs = choice.c_path.clone();
                    cs.push(choice.c);
                    path_params(
                        &cs,
                        &with_variant(&base, (choice.loss, choice.class_weight))?,
                    )
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((
                trial.group.clone(),
                Classifier::fit_per_task(&texts, &tasks, &trial.tfidf, &paths)?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The norm is searched only where it changes something: 3 word ranges × (1 without
    /// characters + 2 norms with them) × 2 sublinear × 2 min_df = 36 settings, no duplicates.
    #[test]
    fn norm_is_searched_only_with_characters() {
        let settings = Grid::default().feature_settings(&TfidfParams::default());
        assert_eq!(settings.len(), 36);
        for (i, a) in settings.iter().enumerate() {
            assert!(settings[i + 1..].iter().all(|b| a != b), "duplicate {a:?}");
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

    /// Like the norm, the character source doubles only the settings with characters:
    /// 12 without + 2 sources × 24 with = 60, no duplicates.
    #[test]
    fn char_source_is_searched_only_with_characters() {
        let grid = Grid {
            char_source: vec![CharSource::Tokens, CharSource::Words],
            ..Grid::default()
        };
        let settings = grid.feature_settings(&TfidfParams::default());
        assert_eq!(settings.len(), 60);
        for (i, a) in settings.iter().enumerate() {
            assert!(settings[i + 1..].iter().all(|b| a != b), "duplicate {a:?}");
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
