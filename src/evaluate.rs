//! Evaluation of a saved model on labelled data.

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::evaluation::Report;
use crate::modelfile::ModelFile;
use crate::predict::classify_rows;

/// Scores `model` on `data`, for every task present in both. A label the model never saw
/// is an error naming its first row and how many rows carry unknown labels.
pub fn evaluate(model: &ModelFile, data: &Dataset) -> Result<Vec<(String, Report)>> {
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
    let results = classify_rows(model, data, 0)?;
    Ok(pairs
        .into_iter()
        .map(|(dt, mt, classes)| {
            let truth = data.labels(dt);
            let predicted: Vec<String> = results
                .iter()
                .map(|r| r.predictions[mt].label.clone())
                .collect();
            (
                data.tasks[dt].clone(),
                Report::new(&classes, &truth, &predicted),
            )
        })
        .collect())
}
