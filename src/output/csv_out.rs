//! CSV: one row per paragraph: `article` (or `id`), `paragraph`, `text`, then per task its
//! label and one `<task>_p_<class>` probability column per class (and `<task>_explain`,
//! terms joined by `; `, when explanations were asked for).

use std::io::{self, Write};

use super::{PredictionWriter, TaskInfo};
use crate::predict::{ArticleResult, ParagraphResult};

pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
    tasks: Vec<TaskInfo>,
    header_written: bool,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W, tasks: Vec<TaskInfo>) -> Self {
        CsvWriter {
            out: csv::Writer::from_writer(out),
            tasks,
            header_written: false,
        }
    }

    /// The header, once, before the first row (or at the end when there is none, so that
    /// even articles without paragraphs give a CSV file that names its columns).
    fn header(&mut self, key_name: &str) -> io::Result<()> {
        if self.header_written {
            return Ok(());
        }
        let mut h = vec![key_name.to_string(), "paragraph".into(), "text".into()];
        for t in &self.tasks {
            h.push(t.name.clone());
            for c in &t.classes {
                h.push(format!("{}_p_{}", t.name, c));
            }
            if t.explain {
                h.push(format!("{}_explain", t.name));
            }
        }
        self.out.write_record(&h).map_err(io_error)?;
        self.header_written = true;
        Ok(())
    }

    /// Writes one row. The columns come from the model, never from the first row: every
    /// row has as many fields as the header (regression: the header took its explain columns
    /// from the first row, and a later row with an explanation had one field more).
    fn write(&mut self, key_name: &str, key: &str, p: &ParagraphResult) -> io::Result<()> {
        self.header(key_name)?;
        let mut rec = vec![key.to_string(), p.index.to_string(), p.text.clone()];
        for (t, pred) in self.tasks.iter().zip(&p.predictions) {
            rec.push(pred.label.clone());
            // By class name: a grouped model's groups may know different classes, and a
            // class the row's group does not know has no probability (an empty field).
            for c in &t.classes {
                rec.push(
                    pred.probabilities
                        .iter()
                        .find(|(name, _)| name == c)
                        .map(|(_, v)| format!("{v:.6}"))
                        .unwrap_or_default(),
                );
            }
            if t.explain {
                rec.push(
                    pred.explanation
                        .iter()
                        .map(|(t, _)| t.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
        }
        self.out.write_record(&rec).map_err(io_error)?;
        Ok(())
    }
}

/// The I/O error inside a csv error, kind kept: `?` would wrap it in an error of kind `Other`,
/// and a closed pipe (`BrokenPipe`) would then be reported instead of ending quietly.
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("CSV output: {other:?}")),
    }
}

impl<W: Write> PredictionWriter for CsvWriter<W> {
    fn article(&mut self, a: &ArticleResult) -> io::Result<()> {
        for p in &a.paragraphs {
            self.write("article", &a.name, p)?;
        }
        self.out.flush()
    }

    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()> {
        for r in rows {
            let id = r.id.clone().unwrap_or_default();
            self.write("id", &id, r)?;
        }
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        // Rows always come with at least one row; only articles can give none.
        self.header("article")?;
        self.out.flush()
    }
}
