//! `stance evaluate`.

use anyhow::Result;
use serde_json::json;
use stance::data::{self, DataSpec};
use stance::evaluate::evaluate;
use stance::modelfile::ModelFile;
use stance::output::evaluation_table;

use super::args::{EvaluateArgs, EvaluateFormat};

pub fn run(a: EvaluateArgs) -> Result<()> {
    let model = ModelFile::load(&a.model)?;
    let spec = DataSpec {
        text_column: a.text_column.clone(),
        label_columns: a.labels.clone(),
        group_column: model.group_by.clone(),
        require_labels: true,
        default_tasks: model.task_names(),
    };
    let data = data::read(&a.data, &spec)?;
    let reports = evaluate(&model, &data)?;
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    match a.format {
        EvaluateFormat::Table => write!(out, "{}", evaluation_table(&reports))?,
        EvaluateFormat::Json => {
            let tasks: serde_json::Map<String, serde_json::Value> = reports
                .iter()
                .map(|(n, r)| Ok((n.clone(), serde_json::to_value(r)?)))
                .collect::<Result<_, serde_json::Error>>()?;
            serde_json::to_writer_pretty(&mut out, &json!({ "tasks": tasks }))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
