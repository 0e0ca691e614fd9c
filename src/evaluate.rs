//! Evaluation of a saved model on labelled data.

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::evaluation::{bootstrap, Report, ValidBootstrapParams};
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

/// Scores `model` on `data`, for every task present in both. A label the model never saw
/// is an error naming its first row and how many rows carry unknown labels.
pub fn evaluate(model: &ModelFile, data: &Dataset) -> Result<Evaluation> {
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
        let unknown: Vec<_> = data
            .rows
            .iter()
            .filter(|r| r.labels[dt].as_ref().is_some_and(|l| !classes.contains(l)))
            .collect();
        if let Some(first) = unknown.first() {
            return Err(Error::UnknownLabel {
                path: data.path.clone(),
                line: first.line,
                task: name.clone(),
                label: first.labels[dt].clone().unwrap_or_default(),
                known: classes.join(", "),
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
    let score = |rows: &[usize]| -> Vec<(String, Report)> {
        pairs
            .iter()
            .map(|(dt, mt, classes)| {
                let truth: Vec<String> = rows
                    .iter()
                    .map(|&i| data.rows[i].labels[*dt].clone().unwrap_or_default())
                    .collect();
                let predicted: Vec<String> = rows
                    .iter()
                    .map(|&i| results[i].predictions[*mt].label.clone())
                    .collect();
                (
                    data.tasks[*dt].clone(),
                    Report::new(classes, &truth, &predicted),
                )
            })
            .collect()
    };
    let all: Vec<usize> = (0..data.rows.len()).collect();
    let groups = if model.group_by.is_some() {
        crate::train::groups(data)
            .into_iter()
            .map(|(g, rows)| (g.unwrap_or_default(), score(&rows)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Evaluation {
        tasks: score(&all),
        groups,
    })
}
