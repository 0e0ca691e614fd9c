//! `stance suggest`.

use std::io::Write;

use anyhow::Result;
use stance::data::{self, DataSpec};
use stance::modelfile::ModelFile;
use stance::suggest::suggest;

use super::args::SuggestArgs;

pub fn run(a: SuggestArgs) -> Result<()> {
    if let Some(out) = &a.out {
        stance::atomic::check_target(out)?;
    }
    let model = ModelFile::load(&a.model)?;
    let tasks = model.task_names();
    let spec = DataSpec {
        text_column: a.text_column.clone(),
        group_column: model.group_by.clone(),
        group_from_model: true,
        require_labels: false,
        default_tasks: tasks.clone(),
        keep_fields: true,
        ..DataSpec::default()
    };
    let data = data::read(&a.data, &spec)?;
    let picks = suggest(&model, &data, a.n, a.strategy)?;
    // The labelled-data format: the file's own columns (labels emptied), any missing task
    // columns, then the model's guesses and the uncertainty.
    // A file written by an earlier suggest already has guess and uncertainty columns: they
    // are written afresh at the end instead of twice (regression: the header then named
    // `uncertainty` twice).
    let guess_cols: Vec<String> = tasks.iter().map(|t| format!("{t}_guess")).collect();
    let mut header: Vec<String> = data
        .columns
        .iter()
        .filter(|c| !guess_cols.contains(c) && c.as_str() != "uncertainty")
        .cloned()
        .collect();
    for t in &tasks {
        if !header.contains(t) {
            header.push(t.clone());
        }
    }
    header.extend(guess_cols.iter().cloned());
    header.push("uncertainty".into());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header)?;
    for s in &picks {
        let row = &data.rows[s.row];
        let mut rec = Vec::with_capacity(header.len());
        for col in &header[..header.len() - guess_cols.len() - 1] {
            if tasks.contains(col) {
                rec.push(String::new());
            } else {
                rec.push(row.fields.get(col).cloned().unwrap_or_default());
            }
        }
        rec.extend(s.guesses.iter().cloned());
        rec.push(format!("{:.4}", s.uncertainty));
        out.write_record(&rec)?;
    }
    let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    match &a.out {
        Some(path) => stance::atomic::write(path, &bytes)?,
        None => {
            let mut o = std::io::stdout().lock();
            o.write_all(&bytes)?;
            o.flush()?;
        }
    }
    eprintln!(
        "stance: suggested {} of {} unlabelled rows",
        picks.len(),
        data.rows
            .iter()
            .filter(|r| r.labels.iter().all(Option::is_none))
            .count()
    );
    Ok(())
}
