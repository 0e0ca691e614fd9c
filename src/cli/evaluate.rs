//! `stance evaluate`.

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::{json, Value};
use stance::data::{self, DataSpec};
use stance::error::Error;
use stance::evaluate::{compare, comparison_group, predictions, scores};
use stance::evaluation::BootstrapParams;
use stance::modelfile::ModelFile;
use stance::output::{comparison_table, evaluation_table};

use super::args::{EvaluateArgs, EvaluateFormat};

pub fn run(a: EvaluateArgs) -> Result<()> {
    // Checked before the model is loaded and the data read, so a bad value fails at once.
    let bootstrap = match a.bootstrap {
        0 => None,
        resamples => Some(
            BootstrapParams {
                resamples,
                seed: a.seed,
            }
            .check()?,
        ),
    };
    if a.compare.is_some() {
        if bootstrap.is_none() {
            return Err(Error::param(
                "--compare",
                "the comparison is a paired bootstrap; give --bootstrap N of at least 100, not 0",
            )
            .into());
        }
        if a.format == EvaluateFormat::Html {
            return Err(Error::param(
                "--compare",
                "the comparison has table and json output; use --format table or json",
            )
            .into());
        }
    }
    let model = ModelFile::load(&a.model)?;
    // The compared model with its path, which its messages and output name.
    let other = a
        .compare
        .as_deref()
        .map(|path| Ok::<_, anyhow::Error>((path, ModelFile::load(path)?)))
        .transpose()?;
    let group_column = match &other {
        Some((_, b)) => comparison_group(&model, b)?,
        None => model.group_by.clone(),
    };
    let spec = DataSpec {
        text_column: a.text_column.clone(),
        label_columns: a.labels.clone(),
        group_column,
        group_from_model: true,
        require_labels: true,
        default_tasks: model.task_names(),
        keep_fields: false,
    };
    let data = data::read(&a.data, &spec)?;
    // Model A's predictions serve both its own report and the comparison.
    let predicted = predictions(&model, &data)?;
    let mut result = scores(&model, &data, &predicted);
    if let Some(params) = &bootstrap {
        result = result.with_intervals(params);
    }
    let comparison = match (&other, &bootstrap) {
        // Model A's predictions are made and checked above; an error here is B's.
        (Some((path, b)), Some(params)) => Some((
            path,
            compare(&model, &predicted, b, &data, params)
                .with_context(|| format!("--compare {}", path.display()))?,
        )),
        _ => None,
    };
    // Scoring the training file is an easy slip that reports near-perfect figures; say so
    // where messages go, leaving the report itself as it is.
    let scored = [(a.model.as_path(), &model)]
        .into_iter()
        .chain(other.as_ref().map(|(path, b)| (*path, b)));
    for (path, m) in scored {
        if m.was_trained_on(&a.data)? {
            eprintln!(
                "stance: note: {} is the file {} was trained on: these are training-set scores, \
                 which overstate accuracy on new paragraphs; score a held-out file, or train with --cv K",
                a.data.display(),
                path.display()
            );
        }
    }
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    match a.format {
        EvaluateFormat::Table => {
            write_grouped(&mut out, &result.tasks, &result.groups, evaluation_table)?;
            if let Some((path, c)) = &comparison {
                writeln!(
                    out,
                    "compared with {} (B) on the same rows; A is {}",
                    path.display(),
                    a.model.display()
                )?;
                write_grouped(&mut out, &c.tasks, &c.groups, comparison_table)?;
            }
        }
        EvaluateFormat::Json => {
            let mut v = grouped_json(&result.tasks, &result.groups)?;
            if let Some((path, c)) = &comparison {
                let mut compared = serde_json::Map::new();
                compared.insert("model".into(), Value::String(path.display().to_string()));
                compared.extend(grouped_json(&c.tasks, &c.groups)?);
                v.insert("compare".into(), Value::Object(compared));
            }
            // Through io::Error, which keeps the kind: serde_json's own error hides it, and a
            // closed pipe must end quietly (main.rs).
            serde_json::to_writer_pretty(&mut out, &v).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        EvaluateFormat::Html => {
            let page = stance::output::html::evaluation_html(
                &result,
                &a.model.display().to_string(),
                &a.data.display().to_string(),
            );
            out.write_all(page.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Per task and, under each group value, per task again: `{"tasks": {...}, "groups"?:
/// {"<value>": {"tasks": {...}}}}`.
fn grouped_json<T: Serialize>(
    tasks: &[(String, T)],
    groups: &[(String, Vec<(String, T)>)],
) -> Result<serde_json::Map<String, Value>, serde_json::Error> {
    let by_task = |tasks: &[(String, T)]| {
        tasks
            .iter()
            .map(|(n, r)| Ok((n.clone(), serde_json::to_value(r)?)))
            .collect::<Result<serde_json::Map<String, Value>, serde_json::Error>>()
    };
    let mut v = serde_json::Map::new();
    v.insert("tasks".into(), Value::Object(by_task(tasks)?));
    if !groups.is_empty() {
        let mut by_group = serde_json::Map::new();
        for (g, t) in groups {
            by_group.insert(g.clone(), json!({ "tasks": by_task(t)? }));
        }
        v.insert("groups".into(), Value::Object(by_group));
    }
    Ok(v)
}

/// The pooled table, then one per group value under its name.
fn write_grouped<T>(
    out: &mut impl std::io::Write,
    tasks: &[(String, T)],
    groups: &[(String, Vec<(String, T)>)],
    table: fn(&[(String, T)]) -> String,
) -> std::io::Result<()> {
    if !groups.is_empty() {
        writeln!(out, "all groups (predictions pooled)")?;
    }
    write!(out, "{}", table(tasks))?;
    for (g, t) in groups {
        writeln!(out, "group {g}")?;
        write!(out, "{}", table(t))?;
    }
    Ok(())
}
