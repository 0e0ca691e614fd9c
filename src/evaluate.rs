//! Evaluation of a saved model on labelled data, and the paired comparison of two models.

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::evaluation::{bootstrap, Differences, Report, ValidBootstrapParams};
use crate::modelfile::ModelFile;
use crate::predict::classify_rows;

/// Scores of every task, pooled over all rows and, for a grouped model, per group.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Per task, over all rows (for a grouped model: the groups' predictions concatenated,
    /// as TweetEval scores SemEval-2016 stance).
    pub tasks: Vec<(String, Report)>,
    /// Per group value, per task (empty for an ungrouped model).
    pub groups: Vec<(String, Vec<(String, Report)>)>,
}

impl Evaluation {
    /// Adds bootstrap intervals to every report, each resampling its own rows (a group's
    /// report its group's rows).
    pub fn with_intervals(mut self, params: &ValidBootstrapParams) -> Evaluation {
        let reports = self
            .tasks
            .iter_mut()
            .chain(self.groups.iter_mut().flat_map(|(_, g)| g.iter_mut()));
        for (_, r) in reports {
            r.interval = bootstrap::intervals(r, params);
        }
        self
    }
}

/// One task's labels and one model's predictions of them, row by row.
#[derive(Debug, Clone)]
pub struct TaskPredictions {
    /// The task's name (its label column).
    pub task: String,
    /// The model's classes, in its order.
    pub classes: Vec<String>,
    pub truth: Vec<String>,
    pub predicted: Vec<String>,
}

/// Scores `model` on `data`, for every task present in both. A label the model never saw
/// is an error naming its first row and how many rows carry unknown labels.
pub fn evaluate(model: &ModelFile, data: &Dataset) -> Result<Evaluation> {
    Ok(scores(model, data, &predictions(model, data)?))
}

/// Scores `predictions`, `model`'s [`predictions`] of `data`: pooled over all rows and, for
/// a grouped model, per group.
pub fn scores(model: &ModelFile, data: &Dataset, predictions: &[TaskPredictions]) -> Evaluation {
    let score = |rows: &[usize]| -> Vec<(String, Report)> {
        predictions
            .iter()
            .map(|p| {
                let truth: Vec<&str> = rows.iter().map(|&i| p.truth[i].as_str()).collect();
                let predicted: Vec<&str> = rows.iter().map(|&i| p.predicted[i].as_str()).collect();
                (p.task.clone(), Report::new(&p.classes, &truth, &predicted))
            })
            .collect()
    };
    let (tasks, groups) = pooled_and_grouped(data, model.group_by.is_some(), score);
    Evaluation { tasks, groups }
}

/// `score` of all rows of `data`, and, when `grouped`, of each group's rows by group value.
fn pooled_and_grouped<T>(
    data: &Dataset,
    grouped: bool,
    score: impl Fn(&[usize]) -> T,
) -> (T, Vec<(String, T)>) {
    let all: Vec<usize> = (0..data.rows.len()).collect();
    let groups = if grouped {
        crate::train::groups(data)
            .into_iter()
            .map(|(g, rows)| (g.unwrap_or_default(), score(&rows)))
            .collect()
    } else {
        Vec::new()
    };
    (score(&all), groups)
}

/// Model B against model A on the same rows: per task, pooled and per group (when the data
/// has a group column).
#[derive(Debug, Clone)]
pub struct Comparison {
    pub tasks: Vec<(String, Differences)>,
    pub groups: Vec<(String, Vec<(String, Differences)>)>,
}

/// Scores `b` against `a` on `data` with a paired bootstrap (see [`bootstrap::paired`]),
/// given `a`'s [`predictions`] of `data` (already made to score `a` alone). `b` must have
/// every task scored; each model routes rows by its own group column when it has one, so a
/// grouped model can be compared with a pooled one.
pub fn compare(
    a: &ModelFile,
    a_predictions: &[TaskPredictions],
    b: &ModelFile,
    data: &Dataset,
    params: &ValidBootstrapParams,
) -> Result<Comparison> {
    let b_tasks = b.task_names();
    if let Some(missing) = data.tasks.iter().find(|t| !b_tasks.contains(t)) {
        return Err(Error::param(
            "--compare",
            format!(
                "the second model has no task `{missing}` (it has: {}); score a task both have with --label",
                b_tasks.join(", ")
            ),
        ));
    }
    let b_predictions = predictions(b, data)?;
    // Per task, A's classes and then any of B's that A lacks.
    let classes: Vec<Vec<String>> = a_predictions
        .iter()
        .zip(&b_predictions)
        .map(|(x, y)| {
            let mut classes = x.classes.clone();
            classes.extend(y.classes.iter().filter(|c| !x.classes.contains(c)).cloned());
            classes
        })
        .collect();
    let differences = |rows: &[usize]| -> Vec<(String, Differences)> {
        fn pick<'v>(v: &'v [String], rows: &[usize]) -> Vec<&'v str> {
            rows.iter().map(|&i| v[i].as_str()).collect()
        }
        a_predictions
            .iter()
            .zip(&b_predictions)
            .zip(&classes)
            .filter_map(|((x, y), classes)| {
                let d = bootstrap::paired(
                    classes,
                    &pick(&x.truth, rows),
                    &pick(&x.predicted, rows),
                    &pick(&y.predicted, rows),
                    params,
                )?;
                Some((x.task.clone(), d))
            })
            .collect()
    };
    let grouped = a.group_by.is_some() || b.group_by.is_some();
    let (tasks, groups) = pooled_and_grouped(data, grouped, differences);
    Ok(Comparison { tasks, groups })
}

/// The column that routes rows to the groups of `a` or `b`, or both: a model routes by its
/// own `group_by`, and data files have one group column, so two grouped models must agree.
pub fn comparison_group(a: &ModelFile, b: &ModelFile) -> Result<Option<String>> {
    match (&a.group_by, &b.group_by) {
        (Some(x), Some(y)) if x != y => Err(Error::param(
            "--compare",
            format!("the models are grouped by different columns (`{x}` and `{y}`); compare models grouped by the same column, or one without groups"),
        )),
        (x, y) => Ok(x.clone().or_else(|| y.clone())),
    }
}

/// `model`'s prediction of every row of `data`, for every task of `data` (which the model
/// must have). A label the model never saw is an error naming its first row and how many
/// rows carry unknown labels.
pub fn predictions(model: &ModelFile, data: &Dataset) -> Result<Vec<TaskPredictions>> {
    let model_tasks = model.task_names();
    let mut pairs = Vec::new();
    for (dt, name) in data.tasks.iter().enumerate() {
        let Some(mt) = model_tasks.iter().position(|t| t == name) else {
            return Err(Error::param(
                "--label",
                format!(
                    "the model has no task `{name}` (it has: {})",
                    model_tasks.join(", ")
                ),
            ));
        };
        let classes = model.classes(mt);
        // A row's label must be one its own group's classifier knows (regression: every row
        // was checked against the first group's classes, so a class only a later group
        // knows was refused). Rows of an unknown group are refused when classified.
        let known = |r: &crate::data::Row| -> &[String] {
            match (&model.group_by, model.classifier(r.group.as_deref())) {
                (Some(_), Some(c)) => c.tasks[mt].model.classes(),
                _ => &classes,
            }
        };
        let unknown: Vec<_> = data
            .rows
            .iter()
            .filter(|r| r.labels[dt].as_ref().is_some_and(|l| !known(r).contains(l)))
            .collect();
        if let Some(first) = unknown.first() {
            return Err(Error::UnknownLabel {
                path: data.path.clone(),
                line: first.line,
                task: name.clone(),
                label: first.labels[dt].clone().unwrap_or_default(),
                known: known(first).join(", "),
                count: unknown.len(),
            });
        }
        pairs.push((dt, mt, classes));
    }
    if pairs.is_empty() {
        return Err(Error::NoInput(format!(
            "{}: no label column of the model's tasks ({}); name one with --label",
            data.path.display(),
            model_tasks.join(", ")
        )));
    }
    let results = classify_rows(model, &data.path, &data.rows, 0, 0)?;
    Ok(pairs
        .into_iter()
        .map(|(dt, mt, classes)| TaskPredictions {
            task: data.tasks[dt].clone(),
            classes,
            truth: data
                .rows
                .iter()
                .map(|r| r.labels[dt].clone().unwrap_or_default())
                .collect(),
            predicted: results
                .iter()
                .map(|r| r.predictions[mt].label.clone())
                .collect(),
        })
        .collect())
}
