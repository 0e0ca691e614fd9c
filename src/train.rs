//! Training: from a labelled data file to a [`ModelFile`], with optional cross-validation.
//!
//! With a group column, one classifier is fitted per group value (SemEval-2016 trains one
//! model per target) and cross-validation pools the out-of-fold predictions of all groups.

use std::collections::BTreeMap;

use linfa::ParamGuard;
use rayon::prelude::*;

use crate::classifier::{cross_val_predict, Classifier, TaskLabels};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::evaluation::cv::{complement, stratified_folds};
use crate::evaluation::Report;
use crate::features::TfidfParams;
use crate::model::{path_params, LogisticParams, ValidLogisticParams};
use crate::modelfile::{GroupModel, Metadata, ModelFile, TaskMetadata, TrainingOptions};
use crate::progress::Progress;
use crate::shared::{GroupWeights, SharedGroups};
use crate::text::ngrams::Scratch;

/// Everything `train` needs besides the data.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub tfidf: TfidfParams,
    pub logistic: LogisticParams,
    /// C values fitted before `logistic`'s C, in order, each fit warm-started from the one
    /// before (default none: one fit from scratch). `stance tune` fits its choices this way.
    pub c_path: Vec<f64>,
    /// Number of cross-validation folds, if any.
    pub cv: Option<usize>,
    /// Seed for the fold assignment.
    pub seed: u64,
    /// Column whose values get one model each.
    pub group_by: Option<String>,
    /// With `group_by`: separate models per group (default) or shared weights.
    pub group_weights: GroupWeights,
    pub text_column: String,
}

impl TrainConfig {
    /// True when the groups share one fit (`--group-weights shared` with `--group-by`).
    pub fn shares_weights(&self) -> bool {
        self.group_by.is_some() && self.group_weights == GroupWeights::Shared
    }

    /// The checked parameters of every fit on the way to the model: `c_path`'s C values with
    /// the model's other options, then the model's own.
    pub fn path(&self) -> Result<Vec<ValidLogisticParams>> {
        let last = self.logistic.clone().check()?;
        // Named here: the parameters' own check would blame `-C`.
        if let Some(c) = self.c_path.iter().find(|c| !c.is_finite() || **c <= 0.0) {
            return Err(Error::param(
                "--c-path",
                format!("{c} must be a positive number"),
            ));
        }
        let mut path = path_params(&self.c_path, &last)?;
        path.push(last);
        Ok(path)
    }
}

/// Row indices of each group, groups sorted (one group `None` holding every row if ungrouped).
pub fn groups(data: &Dataset) -> Vec<(Option<String>, Vec<usize>)> {
    let mut map: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
    for (i, r) in data.rows.iter().enumerate() {
        map.entry(r.group.clone()).or_default().push(i);
    }
    map.into_iter().collect()
}

/// The sorted group names of a grouped data set, and each row's index into them.
pub fn group_index(data: &Dataset) -> (Vec<String>, Vec<usize>) {
    let groups = groups(data);
    let names: Vec<String> = groups
        .iter()
        .map(|(g, _)| g.clone().unwrap_or_default())
        .collect();
    let mut group_of = vec![0; data.rows.len()];
    for (g, (_, rows)) in groups.iter().enumerate() {
        rows.iter().for_each(|&i| group_of[i] = g);
    }
    (names, group_of)
}

/// Fits a model with shared group weights on `rows` of `data`, each task along its path in
/// `paths`. Every group of `data` gets its place, so a group without rows here gets no
/// weights of its own.
pub fn fit_shared(
    data: &Dataset,
    rows: &[usize],
    tfidf: &TfidfParams,
    paths: &[Vec<ValidLogisticParams>],
) -> Result<SharedGroups> {
    let (names, group_of) = group_index(data);
    let texts: Vec<&str> = rows.iter().map(|&i| data.rows[i].text.as_str()).collect();
    let of: Vec<usize> = rows.iter().map(|&i| group_of[i]).collect();
    SharedGroups::fit(&texts, &of, &names, &task_labels(data, rows), tfidf, paths)
}

fn task_labels(data: &Dataset, rows: &[usize]) -> Vec<TaskLabels> {
    data.tasks
        .iter()
        .enumerate()
        .map(|(t, name)| TaskLabels {
            name: name.clone(),
            labels: rows
                .iter()
                .map(|&i| data.rows[i].labels[t].clone().unwrap_or_default())
                .collect(),
        })
        .collect()
}

/// Cross-validated scores of every task, pooled over groups.
pub fn cross_validate_dataset(
    data: &Dataset,
    config: &TrainConfig,
    folds: usize,
    progress: &mut dyn Progress,
) -> Result<Vec<(String, Report)>> {
    let path = config.path()?;
    config.tfidf.check()?;
    let groups = groups(data);
    progress.start(
        "cross-validating",
        (folds * data.tasks.len() * groups.len()) as u64,
    );
    let mut predicted: Vec<Vec<String>> =
        vec![vec![String::new(); data.rows.len()]; data.tasks.len()];
    if config.shares_weights() {
        // One fit for all groups per fold: folds over every row, stratified on the first
        // task (as `stance tune` does).
        let (_, group_of) = group_index(data);
        let first = data.labels(0);
        let fold_rows = stratified_folds(&first, folds, config.seed, &data.tasks[0])?;
        let paths = vec![path.clone(); data.tasks.len()];
        for test in &fold_rows {
            let train = complement(data.rows.len(), test);
            let models = fit_shared(data, &train, &config.tfidf, &paths)?.fold();
            let mut scratch = Scratch::default();
            for &i in test {
                let answers =
                    models[group_of[i]]
                        .classifier
                        .predict(&data.rows[i].text, 0, &mut scratch);
                for (t, answer) in answers.into_iter().enumerate() {
                    predicted[t][i] = answer.label;
                }
            }
            (0..groups.len() * data.tasks.len()).for_each(|_| progress.step());
        }
    } else {
        for (group, rows) in &groups {
            let texts: Vec<&str> = rows.iter().map(|&i| data.rows[i].text.as_str()).collect();
            for (t, task) in task_labels(data, rows).iter().enumerate() {
                let p = cross_val_predict(
                    &texts,
                    task,
                    &config.tfidf,
                    &path,
                    folds,
                    config.seed,
                    || progress.step(),
                )
                .map_err(|e| in_group(e, group))?;
                for (&i, label) in rows.iter().zip(p) {
                    predicted[t][i] = label;
                }
            }
        }
    }
    progress.finish();
    Ok(data
        .tasks
        .iter()
        .enumerate()
        .map(|(t, name)| {
            let truth = data.labels(t);
            let classes: Vec<String> = data.label_counts(t).into_keys().collect();
            (name.clone(), Report::new(&classes, &truth, &predicted[t]))
        })
        .collect())
}

/// An error about one group's rows, naming the group as well as the task (regression:
/// `--cv 2` with groups said "`stance` has 1 of `favor`" where the whole file has many).
pub(crate) fn in_group(e: Error, group: &Option<String>) -> Error {
    let Some(g) = group else { return e };
    let named = |task: String| format!("{task}` in group `{g}");
    match e {
        Error::SingleClass { task, class } => Error::SingleClass {
            task: named(task),
            class,
        },
        Error::TooFewForFolds {
            task,
            class,
            count,
            folds,
        } => Error::TooFewForFolds {
            task: named(task),
            class,
            count,
            folds,
        },
        e => e,
    }
}

/// Trains a model file on `data`; `data_sha256` identifies the data's bytes.
pub fn train(
    data: &Dataset,
    data_sha256: String,
    config: &TrainConfig,
    progress: &mut dyn Progress,
) -> Result<ModelFile> {
    let path = config.path()?;
    let logistic = path
        .last()
        .expect("a path ends with the model's own fit")
        .clone();
    config.tfidf.check()?;
    if data.tasks.is_empty() {
        return Err(Error::NoInput("no label columns to train on".into()));
    }
    let cv = match config.cv {
        Some(k) => Some(cross_validate_dataset(data, config, k, progress)?),
        None => None,
    };
    let options = TrainingOptions {
        tfidf: config.tfidf.clone(),
        c: logistic.c(),
        c_path: config.c_path.clone(),
        class_weight: logistic.class_weight(),
        loss: logistic.loss(),
        max_iterations: logistic.max_iterations(),
        tolerance: logistic.tolerance(),
        cv_folds: config.cv,
        seed: config.seed,
        text_column: config.text_column.clone(),
        group_weights: config.group_weights,
        selection: None,
    };
    if config.shares_weights() {
        progress.start("training", 1);
        let rows: Vec<usize> = (0..data.rows.len()).collect();
        let paths = vec![path.clone(); data.tasks.len()];
        let shared = fit_shared(data, &rows, &config.tfidf, &paths)?;
        progress.step();
        progress.finish();
        let group_by = config.group_by.clone();
        return model_file(
            data,
            data_sha256,
            options,
            group_by,
            Fitted::Shared(shared),
            cv,
            None,
        );
    }
    let groups = groups(data);
    progress.start("training", groups.len() as u64);
    // Groups are fitted side by side: one group's fit (a few hundred rows per SemEval target)
    // is too small to keep both cores busy on its own, and each fit gives the same result
    // bit for bit whatever thread runs it.
    let fitted: Vec<Result<GroupModel>> = groups
        .into_par_iter()
        .map(|(group, rows)| {
            let texts: Vec<&str> = rows.iter().map(|&i| data.rows[i].text.as_str()).collect();
            let tasks = task_labels(data, &rows);
            let paths = vec![path.clone(); tasks.len()];
            let classifier = Classifier::fit_per_task(&texts, &tasks, &config.tfidf, &paths)
                .map_err(|e| in_group(e, &group))?;
            Ok(GroupModel { group, classifier })
        })
        .collect();
    let mut models = Vec::with_capacity(fitted.len());
    for model in fitted {
        models.push(model?);
        progress.step();
    }
    progress.finish();
    model_file(
        data,
        data_sha256,
        options,
        config.group_by.clone(),
        Fitted::Separate(models),
        cv,
        None,
    )
}

/// Fitted models on their way into a [`ModelFile`].
pub enum Fitted {
    /// One classifier per group (one, with no group, when ungrouped).
    Separate(Vec<GroupModel>),
    /// One fit with shared group weights.
    Shared(SharedGroups),
}

/// Puts fitted models and their metadata into a [`ModelFile`].
pub fn model_file(
    data: &Dataset,
    data_sha256: String,
    options: TrainingOptions,
    group_by: Option<String>,
    fitted: Fitted,
    cv: Option<Vec<(String, Report)>>,
    validation: Option<Vec<(String, Report)>>,
) -> Result<ModelFile> {
    match (fitted, group_by) {
        (Fitted::Separate(models), group_by) => {
            let metadata = metadata(data, data_sha256, options, &models, cv, validation);
            Ok(ModelFile::new(group_by, models, metadata))
        }
        (Fitted::Shared(shared), Some(group_by)) => {
            // Folded once: the metadata reads the group classifiers the file holds.
            let models = shared.fold();
            let metadata = metadata(data, data_sha256, options, &models, cv, validation);
            Ok(ModelFile {
                shared: Some(shared),
                ..ModelFile::new(Some(group_by), models, metadata)
            })
        }
        (Fitted::Shared(_), None) => Err(Error::param(
            "--group-weights",
            "shared weights need a group column; give --group-by",
        )),
    }
}

/// The training metadata of fitted group models.
fn metadata(
    data: &Dataset,
    data_sha256: String,
    options: TrainingOptions,
    models: &[GroupModel],
    cv: Option<Vec<(String, Report)>>,
    validation: Option<Vec<(String, Report)>>,
) -> Metadata {
    let find = |reports: &Option<Vec<(String, Report)>>, name: &str| {
        reports
            .as_ref()
            .and_then(|c| c.iter().find(|(n, _)| n == name).map(|(_, r)| r.clone()))
    };
    let mut tasks = BTreeMap::new();
    for (t, name) in data.tasks.iter().enumerate() {
        let counts = data.label_counts(t);
        let models_t = models.iter().map(|m| &m.classifier.tasks[t].model);
        tasks.insert(
            name.clone(),
            TaskMetadata {
                classes: counts.keys().cloned().collect(),
                label_counts: counts,
                iterations: models_t.clone().map(|m| m.iterations()).collect(),
                converged: models_t.clone().all(|m| m.converged()),
                cv: find(&cv, name),
                validation: find(&validation, name),
            },
        );
    }
    Metadata {
        data_file: data
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        data_sha256,
        rows: data.rows.len(),
        options,
        tasks,
    }
}
