//! HTML output (a placeholder page until the report is designed; every text is escaped).

use std::io::{self, Write};

use super::{PredictionWriter, TaskInfo};
use crate::predict::{ArticleResult, ParagraphResult};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            _ => s.push(c),
        }
    }
    s
}

pub struct HtmlWriter<W: Write> {
    out: W,
    tasks: Vec<TaskInfo>,
    started: bool,
}

impl<W: Write> HtmlWriter<W> {
    pub fn new(out: W, tasks: Vec<TaskInfo>) -> Self {
        HtmlWriter {
            out,
            tasks,
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            writeln!(self.out, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>stance report</title></head><body>")?;
            self.started = true;
        }
        Ok(())
    }

    fn paragraph(&mut self, p: &ParagraphResult) -> io::Result<()> {
        let labels: Vec<String> = self
            .tasks
            .iter()
            .zip(&p.predictions)
            .map(|(t, x)| format!("{}: {}", escape(&t.name), escape(&x.label)))
            .collect();
        writeln!(
            self.out,
            "<p>{} <small>{}</small></p>",
            escape(&p.text),
            labels.join(" · ")
        )
    }
}

impl<W: Write> PredictionWriter for HtmlWriter<W> {
    fn article(&mut self, a: &ArticleResult) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "<h2>{}</h2>", escape(&a.name))?;
        for p in &a.paragraphs {
            self.paragraph(p)?;
        }
        Ok(())
    }

    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()> {
        self.start()?;
        for r in rows {
            self.paragraph(r)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</body></html>")?;
        self.out.flush()
    }
}
