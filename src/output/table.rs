//! Tables for people at a terminal.

use std::io::{self, Write};

use super::{PredictionWriter, TaskInfo};
use crate::evaluation::{Differences, Interval, Report};
use crate::predict::{ArticleResult, ParagraphResult};

/// Width of the text column before it is cut with an ellipsis.
const TEXT_WIDTH: usize = 70;

/// `text` with control characters (line breaks, tabs, terminal escape sequences' ESC) as
/// spaces: a table goes to a terminal, where a row's own line breaks would break the table
/// and an escape sequence in an article would be obeyed (regression: both were printed raw).
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn cut(text: &str, width: usize) -> String {
    let text = printable(text);
    if text.chars().count() <= width {
        text
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

pub struct TableWriter<W: Write> {
    out: W,
    tasks: Vec<TaskInfo>,
    header_written: bool,
    /// Width of the first column: paragraph numbers, or the ids of data rows (as wide as
    /// the first batch's longest, at most [`ID_WIDTH`]; regression: ids up to 24 wide in a
    /// 5-wide column pushed every row's columns out of line).
    key_width: usize,
}

/// Widest id shown; longer ones are cut.
const ID_WIDTH: usize = 24;

impl<W: Write> TableWriter<W> {
    pub fn new(out: W, tasks: Vec<TaskInfo>) -> Self {
        TableWriter {
            out,
            tasks,
            header_written: false,
            key_width: 5,
        }
    }

    fn header(&mut self, key: &str) -> io::Result<()> {
        write!(self.out, "{:>w$}", printable(key), w = self.key_width)?;
        for t in &self.tasks {
            write!(self.out, "  {:<16}", t.name)?;
        }
        writeln!(self.out, "  text")
    }

    fn line(&mut self, key: &str, p: &ParagraphResult) -> io::Result<()> {
        write!(self.out, "{key:>w$}", w = self.key_width)?;
        for pred in &p.predictions {
            let prob = pred
                .probabilities
                .iter()
                .find(|(c, _)| *c == pred.label)
                .map(|(_, v)| *v)
                .unwrap_or(0.0);
            write!(self.out, "  {:<16}", format!("{} {:.2}", pred.label, prob))?;
        }
        writeln!(self.out, "  {}", cut(&p.text, TEXT_WIDTH))?;
        for (t, pred) in self.tasks.iter().zip(&p.predictions) {
            if !pred.explanation.is_empty() {
                let terms: Vec<String> = pred
                    .explanation
                    .iter()
                    .map(|(term, w)| format!("{term} ({w:.3})"))
                    .collect();
                writeln!(
                    self.out,
                    "{:>w$}  {} because: {}",
                    "",
                    t.name,
                    terms.join(", "),
                    w = self.key_width
                )?;
            }
        }
        Ok(())
    }
}

impl<W: Write> PredictionWriter for TableWriter<W> {
    fn article(&mut self, a: &ArticleResult) -> io::Result<()> {
        let overall: Vec<String> = a
            .summary
            .tasks
            .iter()
            .map(|(name, t)| {
                let counts: Vec<String> =
                    t.counts.iter().map(|(c, k)| format!("{c} {k}")).collect();
                format!(
                    "{name}: {} ({})",
                    t.overall.as_deref().unwrap_or("–"),
                    counts.join(", ")
                )
            })
            .collect();
        writeln!(self.out, "== {}", printable(&a.name))?;
        writeln!(
            self.out,
            "   {} paragraphs, {} skipped · {}",
            a.summary.paragraphs,
            a.summary.skipped,
            overall.join(" · ")
        )?;
        self.header("#")?;
        for p in &a.paragraphs {
            self.line(&p.index.to_string(), p)?;
        }
        writeln!(self.out)
    }

    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()> {
        let key = |r: &ParagraphResult| r.id.clone().unwrap_or_else(|| r.index.to_string());
        if !self.header_written {
            let widest = rows.iter().map(|r| key(r).chars().count()).max();
            self.key_width = widest.unwrap_or(0).clamp(5, ID_WIDTH);
            let with_ids = rows.iter().any(|r| r.id.is_some());
            self.header(if with_ids { "id" } else { "row" })?;
            self.header_written = true;
        }
        for r in rows {
            self.line(&cut(&key(r), self.key_width), r)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// An evaluation report as text: per task the headline figures, per-class scores and the
/// confusion matrix (rows = truth, columns = predicted).
pub fn evaluation_table(reports: &[(String, Report)]) -> String {
    let mut s = String::new();
    for (name, r) in reports {
        s.push_str(&format!(
            "{name}: n={} accuracy={:.4} macro_f1={:.4} macro_recall={:.4}",
            r.n, r.accuracy, r.macro_f1, r.macro_recall
        ));
        if let Some(f) = r.f_avg {
            s.push_str(&format!(" f_avg={f:.4}"));
        }
        s.push('\n');
        if let Some(iv) = &r.interval {
            let range = |i: Interval| format!("{:.4}-{:.4}", i.low, i.high);
            s.push_str(&format!(
                "  {:.0}% interval ({} bootstrap resamples): accuracy {} macro_f1 {} macro_recall {}",
                iv.level * 100.0,
                iv.resamples,
                range(iv.accuracy),
                range(iv.macro_f1),
                range(iv.macro_recall)
            ));
            if let Some(f) = iv.f_avg {
                s.push_str(&format!(" f_avg {}", range(f)));
            }
            s.push('\n');
        }
        s.push_str(&format!(
            "  {:<12} {:>9} {:>9} {:>9} {:>8}\n",
            "class", "precision", "recall", "f1", "support"
        ));
        for (c, x) in &r.per_class {
            s.push_str(&format!(
                "  {:<12} {:>9.4} {:>9.4} {:>9.4} {:>8}\n",
                c, x.precision, x.recall, x.f1, x.support
            ));
        }
        s.push_str(&format!("  confusion (rows = truth) {:>4}", ""));
        for l in &r.confusion.labels {
            s.push_str(&format!(" {:>9}", cut(l, 9)));
        }
        s.push('\n');
        for (l, row) in r.confusion.labels.iter().zip(&r.confusion.matrix) {
            s.push_str(&format!("  {:<29}", cut(l, 29)));
            for v in row {
                s.push_str(&format!(" {v:>9}"));
            }
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// A comparison of model B with model A on the same rows: per task, each headline figure of
/// both, B − A, its paired-bootstrap interval, and the share of resamples where B is ahead.
pub fn comparison_table(tasks: &[(String, Differences)]) -> String {
    let mut s = String::new();
    for (name, d) in tasks {
        s.push_str(&format!(
            "{name}: n={} ({:.0}% interval of B − A over {} paired resamples)\n",
            d.n,
            d.level * 100.0,
            d.resamples
        ));
        s.push_str(&format!(
            "  {:<12} {:>7} {:>7} {:>8} {:>19} {:>8}\n",
            "figure", "A", "B", "B − A", "interval", "B ahead"
        ));
        let figures = [
            ("accuracy", Some(d.accuracy)),
            ("macro_f1", Some(d.macro_f1)),
            ("macro_recall", Some(d.macro_recall)),
            ("f_avg", d.f_avg),
        ];
        for (figure, x) in figures {
            let Some(x) = x else { continue };
            s.push_str(&format!(
                "  {:<12} {:>7.4} {:>7.4} {:>+8.4} {:>+9.4} to {:>+6.4} {:>7.1}%\n",
                figure,
                x.a,
                x.b,
                x.difference,
                x.low,
                x.high,
                x.b_ahead * 100.0
            ));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_reach_the_terminal_as_spaces() {
        let text = "line one\nline\ttwo \u{1b}[31mred\u{1b}[0m\r";
        assert_eq!(cut(text, 70), "line one line two  [31mred [0m ");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(printable("a\u{7}b"), "a b");
    }

    /// Ids of data rows get a column as wide as the first batch's longest (at most 24),
    /// headed `id`, so that the columns after it stay in line.
    #[test]
    fn row_ids_get_their_own_width() {
        let row = |id: &str| ParagraphResult {
            index: 1,
            id: Some(id.to_string()),
            text: "text".into(),
            predictions: vec![],
        };
        let mut out = Vec::new();
        let mut w = TableWriter::new(&mut out, vec![]);
        w.rows(&[row("newsmtsc-train-0"), row("a")]).unwrap();
        w.rows(&[row("an-id-far-longer-than-the-first-batch-had")])
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "              id  text");
        assert_eq!(lines[1], "newsmtsc-train-0  text");
        assert_eq!(lines[2], "               a  text");
        // Later, longer ids are cut to the column, which stays in line.
        assert_eq!(lines[3], "an-id-far-longe…  text");
    }
}
