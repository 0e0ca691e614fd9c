//! Output: labelled paragraphs and evaluation reports in the formats people read or parse.
//!
//! Prediction output streams: a [`PredictionWriter`] receives one article (or one batch of
//! rows) at a time and writes it at once, so memory does not grow with the input. The
//! machine-readable shapes (JSON, JSON Lines, CSV) are stable and documented in the README.

mod csv_out;
pub mod html;
mod json;
mod table;

use std::io::{self, Write};

pub use csv_out::CsvWriter;
pub use json::{JsonWriter, JsonlWriter};
pub use table::{comparison_table, evaluation_table, TableWriter};

use crate::predict::{ArticleResult, ParagraphResult};

/// Output formats of `predict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Html,
}

/// Receives results as they are produced.
pub trait PredictionWriter {
    /// Writes one labelled article.
    fn article(&mut self, article: &ArticleResult) -> io::Result<()>;
    /// Writes labelled data rows.
    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()>;
    /// Closes the output (brackets, footers) and flushes it.
    fn finish(&mut self) -> io::Result<()>;
}

/// What every writer needs to know about the model's tasks.
#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub name: String,
    /// Every class any of the model's classifiers knows (a grouped model's groups may
    /// differ), sorted: the columns of the CSV output.
    pub classes: Vec<String>,
    /// Whether explanations were asked for (`--explain`): the CSV output then has an
    /// `<task>_explain` column and JSON an `explanation` array on every row, empty where no
    /// term of the text weighs in, whatever the first row holds.
    pub explain: bool,
}

/// Makes the writer for `format` over `out`.
pub fn writer<'a, W: Write + 'a>(
    format: Format,
    out: W,
    tasks: Vec<TaskInfo>,
) -> Box<dyn PredictionWriter + 'a> {
    match format {
        Format::Table => Box::new(TableWriter::new(out, tasks)),
        Format::Json => Box::new(JsonWriter::new(out, tasks)),
        Format::Jsonl => Box::new(JsonlWriter::new(out, tasks)),
        Format::Csv => Box::new(CsvWriter::new(out, tasks)),
        Format::Html => Box::new(html::HtmlWriter::new(out, tasks)),
    }
}
