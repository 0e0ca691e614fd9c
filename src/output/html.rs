//! HTML reports: one self-contained page each (inline CSS, no script, nothing fetched).
//!
//! [`HtmlWriter`] streams a prediction report: the page head on first output, each article
//! (or batch of data rows) as it arrives, the closing tags in `finish`, so memory does not grow
//! with the number of articles. Each paragraph is coloured by its stance, carries a badge and
//! the probabilities of every task, and has the `--explain` terms highlighted in its text and
//! listed under it; each article gets a summary bar per task and its skipped blocks (headings,
//! boilerplate) in a collapsed `<details>`. [`evaluation_html`] renders `stance evaluate`:
//! headline figures, per-class scores and a confusion heat map per task (and per group).
//!
//! Every piece of input text (paths, paragraph text, ids, task and class names, terms) goes
//! through [`escape`]. Colours come from a fixed set of CSS classes chosen by [`label_class`],
//! never from a label itself, and the page's Content-Security-Policy forbids scripts and any
//! fetch, so even a mistake in escaping could not run code or reach the network.

use std::io::{self, Write};

use super::{PredictionWriter, TaskInfo};
use crate::classifier::{TaskPrediction, WORD_VECTORS};
use crate::evaluate::Evaluation;
use crate::evaluation::{Interval, Report};
use crate::paragraphs::BlockKind;
use crate::predict::{ArticleResult, ParagraphResult, TaskSummary};
use crate::text::ngrams::CHAR_PREFIX;
use crate::text::normalize::normalize_char;
use crate::text::tokenize::{class_of, Class};

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

/// The CSS class that colours `label`: one per known stance and sentiment class, and a
/// neutral grey (`k-other`) for any other name.
pub fn label_class(label: &str) -> &'static str {
    match label {
        "favor" => "k-favor",
        "against" => "k-against",
        "neutral" => "k-neutral",
        "none" => "k-none",
        "positive" => "k-positive",
        "negative" => "k-negative",
        _ => "k-other",
    }
}

/// No scripts, no fetches of any kind; inline styles only.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE: &str = r#"
:root{--fg:#1d232a;--muted:#5f6b76;--line:#d9dee3;--page:#f6f7f9;--card:#fff}
*{box-sizing:border-box}
body{margin:0;background:var(--page);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header.top{background:#263238;color:#fff;padding:14px 24px}
header.top h1{margin:0;font-size:20px;font-weight:600}
header.top .sub{color:#cfd8dc;font-size:13px;margin-top:2px;overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin-top:8px;font-size:13px}
.legend .task{color:#cfd8dc;margin-right:4px}
main{max-width:1100px;margin:0 auto;padding:16px 20px 40px}
.k-favor{--c:#d95f02;--bg:#fff3e8;--ink:#fff}
.k-against{--c:#1b7f6a;--bg:#e6f5f0;--ink:#fff}
.k-neutral{--c:#78909c;--bg:#f3f5f6;--ink:#fff}
.k-none{--c:#b0bec5;--bg:#f7f8f9;--ink:#263238}
.k-positive{--c:#2e7d32;--bg:#eaf5ea;--ink:#fff}
.k-negative{--c:#c62828;--bg:#fdecec;--ink:#fff}
.k-other{--c:#9e9e9e;--bg:#f5f5f5;--ink:#fff}
.badge{display:inline-block;background:var(--c);color:var(--ink);border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;line-height:19px;white-space:nowrap;max-width:100%;overflow:hidden;text-overflow:ellipsis;vertical-align:middle}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;background:var(--c);margin-right:4px;vertical-align:-1px}
article.doc{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:14px 18px}
article.doc>h2{margin:0 0 4px;font-size:17px;overflow-wrap:anywhere}
.counts{color:var(--muted);font-size:13px;margin-bottom:8px}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:6px 12px;align-items:center;margin:8px 0 10px}
.summary .task{font-weight:600;font-size:13px}
.sbar{display:flex;height:22px;border-radius:4px;overflow:hidden;background:#eceff1}
.sbar .seg{background:var(--c);color:var(--ink);font-size:12px;line-height:22px;text-align:center;white-space:nowrap;overflow:hidden;min-width:0}
.skey{font-size:12px;color:var(--muted);grid-column:2;margin-top:-4px}
.skey span{margin-right:12px}
details.skipped{color:#8a949d;font-size:13px;margin:6px 0 10px}
details.skipped summary{cursor:pointer}
details.skipped li{margin:2px 0;overflow-wrap:anywhere}
details.skipped .kind{display:inline-block;min-width:84px;font-variant:small-caps;color:#9aa4ad}
section.para{display:grid;grid-template-columns:30px 1fr;gap:0 8px;border-left:6px solid var(--c);background:var(--bg);border-radius:4px;padding:8px 12px 8px 8px;margin:8px 0}
.pnum{color:var(--muted);font-size:12px;text-align:right;padding-top:2px}
.pbody{min-width:0}
p.text{margin:0 0 6px;overflow-wrap:anywhere}
mark{background:#ffe082;color:inherit;border-radius:2px;padding:0 1px;box-shadow:inset 0 -2px 0 #ffb300}
.preds{display:flex;flex-wrap:wrap;gap:4px 22px;font-size:12px;color:var(--muted);align-items:center}
.pred{display:flex;align-items:center;gap:6px;min-width:0;flex-wrap:wrap}
.pred .task{font-weight:600;color:var(--fg)}
.pbar{display:inline-flex;width:90px;height:8px;border-radius:4px;overflow:hidden;background:#e0e0e0;vertical-align:middle}
.pbar i{display:block;background:var(--c);height:100%}
.probs b{color:var(--fg)}
ul.why{list-style:none;margin:6px 0 0;padding:0;font-size:12px;color:var(--muted)}
ul.why li{margin:2px 0;overflow-wrap:anywhere}
ul.why .term{background:#fff8e1;border:1px solid #ffe082;border-radius:3px;padding:0 4px;margin-right:6px;color:var(--fg)}
ul.why .w{color:var(--muted);margin-left:3px}
table{border-collapse:collapse;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}
th{font-weight:600;background:#f0f2f4}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.rows{width:100%;background:var(--card);border:1px solid var(--line)}
table.rows td.text{overflow-wrap:anywhere;min-width:260px}
table.rows tr.row{background:var(--bg)}
table.rows tr.row td:first-child{border-left:6px solid var(--c)}
table.rows .pred{margin:2px 0}
section.eval{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:14px 18px}
section.eval>h2{margin:0 0 8px;font-size:18px;overflow-wrap:anywhere}
.task-eval{margin:14px 0 22px}
.task-eval h3{margin:0 0 8px;font-size:16px;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:110px}
.card .v{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.card .l{font-size:12px;color:var(--muted)}
.card .ci{font-size:12px;font-variant-numeric:tabular-nums;color:var(--muted)}
.tables{display:flex;flex-wrap:wrap;gap:18px 32px;align-items:flex-start}
.tables h4{margin:0 0 6px;font-size:13px;color:var(--muted);font-weight:600}
.f1bar{display:inline-block;height:8px;background:#5c6bc0;border-radius:4px;vertical-align:middle;margin-left:6px}
table.cm td.cell{text-align:center;min-width:70px;font-variant-numeric:tabular-nums}
table.cm td.cell small{display:block;font-size:11px;opacity:.85}
table.cm th.axis{background:none;border:none;color:var(--muted);font-weight:400;font-size:12px}
.note{color:var(--muted);font-size:13px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px 0 24px}
"#;

/// `<!DOCTYPE html>` up to and including `<body>`.
fn page_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    )
}

/// A probability or share as a CSS percentage (finite, within 0..=100).
fn pct(x: f64) -> String {
    let x = if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("{:.1}%", x * 100.0)
}

/// Formats a figure with `d` decimals (NaN and infinities as a dash).
fn num(x: f64, d: usize) -> String {
    if x.is_finite() {
        format!("{x:.d$}")
    } else {
        "–".to_string()
    }
}

/// A colour key for every task: its classes with their swatches.
fn legend(tasks: &[TaskInfo]) -> String {
    let mut s = String::from("<div class=\"legend\">");
    for t in tasks {
        s.push_str(&format!(
            "<span><span class=\"task\">{}:</span>",
            escape(&t.name)
        ));
        for c in &t.classes {
            s.push_str(&format!(
                " <span class=\"{}\"><span class=\"swatch\"></span>{}</span>",
                label_class(c),
                escape(c)
            ));
        }
        s.push_str("</span>");
    }
    s.push_str("</div>");
    s
}

// ---- highlighting -------------------------------------------------------------------------

/// A token of the original text: its byte range there and its normalised form.
struct Span {
    start: usize,
    end: usize,
    norm: String,
}

/// Tokenises `text` as the model does (normalise, then runs of word characters and runs of
/// other non-space characters), keeping where each token lies in the original text.
fn token_spans(text: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut current = Class::Space;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        normalize_char(c, |n| {
            let class = class_of(n);
            if class == Class::Space {
                current = class;
                return;
            }
            match spans.last_mut() {
                Some(last) if class == current => {
                    last.norm.push(n);
                    last.end = end;
                }
                _ => spans.push(Span {
                    start: i,
                    end,
                    norm: n.to_string(),
                }),
            }
            current = class;
        });
    }
    spans
}

/// A term to highlight and the tooltip that says why.
struct Term {
    words: Vec<String>,
    title: String,
}

/// The terms of every task's explanation to highlight. Character n-grams (parts of words)
/// and terms of punctuation only (a comma, an apostrophe) are listed under the paragraph but
/// not highlighted: marking every comma would bury the words that matter. Nor is the pull of
/// the word vectors (`--vectors`), which belongs to no word of the text.
fn explain_terms(tasks: &[TaskInfo], predictions: &[TaskPrediction]) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    for (t, pred) in tasks.iter().zip(predictions) {
        for (term, w) in &pred.explanation {
            let has_word = term.chars().any(|c| class_of(c) == Class::Word);
            if term.starts_with(CHAR_PREFIX) || !has_word || term == WORD_VECTORS {
                continue;
            }
            let note = format!("{} → {} (+{})", t.name, pred.label, num(*w, 3));
            let words: Vec<String> = term.split(' ').map(str::to_string).collect();
            match terms.iter_mut().find(|x| x.words == words) {
                Some(x) => {
                    x.title.push_str("; ");
                    x.title.push_str(&note);
                }
                None => terms.push(Term {
                    words,
                    title: format!("{term}: {note}"),
                }),
            }
        }
    }
    terms
}

/// `text`, escaped, with every occurrence of `terms` wrapped in `<mark>`. Matching works on
/// the model's tokens, so it is case- and accent-insensitive and only whole words match.
fn highlight(text: &str, terms: &[Term]) -> String {
    if terms.is_empty() {
        return escape(text);
    }
    let spans = token_spans(text);
    // (start byte, end byte, term index) of every match.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    for (k, term) in terms.iter().enumerate() {
        let n = term.words.len();
        if n == 0 || n > spans.len() {
            continue;
        }
        for w in spans.windows(n) {
            if w.iter().zip(&term.words).all(|(s, t)| s.norm == *t) {
                hits.push((w[0].start, w[n - 1].end, k));
            }
        }
    }
    if hits.is_empty() {
        return escape(text);
    }
    hits.sort_unstable();
    // Overlapping matches become one mark whose tooltip names every term in it.
    let mut merged: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for (a, b, k) in hits {
        match merged.last_mut() {
            Some(last) if a < last.1 => {
                last.1 = last.1.max(b);
                if !last.2.contains(&k) {
                    last.2.push(k);
                }
            }
            _ => merged.push((a, b, vec![k])),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 48);
    let mut at = 0;
    for (a, b, ks) in merged {
        out.push_str(&escape(&text[at..a]));
        let title: Vec<&str> = ks.iter().map(|&k| terms[k].title.as_str()).collect();
        out.push_str(&format!(
            "<mark title=\"{}\">{}</mark>",
            escape(&title.join("\n")),
            escape(&text[a..b])
        ));
        at = b;
    }
    out.push_str(&escape(&text[at..]));
    out
}

// ---- prediction report --------------------------------------------------------------------

/// A task's badge, probability bar and probabilities.
fn prediction_html(task: &TaskInfo, pred: &TaskPrediction) -> String {
    let mut bar = String::new();
    let mut probs: Vec<String> = Vec::new();
    for (c, p) in &pred.probabilities {
        bar.push_str(&format!(
            "<i class=\"{}\" style=\"width:{}\"></i>",
            label_class(c),
            pct(*p)
        ));
        let figure = format!("{} {}", escape(c), num(*p, 2));
        probs.push(if *c == pred.label {
            format!("<b>{figure}</b>")
        } else {
            figure
        });
    }
    format!(
        "<span class=\"pred\"><span class=\"task\">{}</span> <span class=\"badge {}\">{}</span> \
         <span class=\"pbar\" title=\"{}\">{bar}</span> <span class=\"probs\">{}</span></span>",
        escape(&task.name),
        label_class(&pred.label),
        escape(&pred.label),
        escape(&format!("{} probabilities", task.name)),
        probs.join(" · ")
    )
}

/// The list of explanation terms under a paragraph (empty when there are none).
fn why_html(tasks: &[TaskInfo], predictions: &[TaskPrediction]) -> String {
    let mut items = String::new();
    for (t, pred) in tasks.iter().zip(predictions) {
        if pred.explanation.is_empty() {
            continue;
        }
        let terms: Vec<String> = pred
            .explanation
            .iter()
            .map(|(term, w)| {
                format!(
                    "<span class=\"term\">{}<span class=\"w\">+{}</span></span>",
                    escape(term),
                    num(*w, 3)
                )
            })
            .collect();
        items.push_str(&format!(
            "<li>{} → <span class=\"badge {}\">{}</span> because: {}</li>",
            escape(&t.name),
            label_class(&pred.label),
            escape(&pred.label),
            terms.join("")
        ));
    }
    if items.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"why\">{items}</ul>")
    }
}

/// Which task colours paragraphs: `stance` when the model has it, else the first task.
fn colour_task(tasks: &[TaskInfo]) -> usize {
    tasks.iter().position(|t| t.name == "stance").unwrap_or(0)
}

/// A task's summary: a bar of label shares and a key with counts and the overall label.
fn summary_html(task: &TaskInfo, s: &TaskSummary, paragraphs: usize) -> String {
    // The model's class order first, then any label the summary has beyond it.
    let mut classes: Vec<&String> = task.classes.iter().collect();
    for c in s.counts.keys() {
        if !classes.contains(&c) {
            classes.push(c);
        }
    }
    let mut bar = String::new();
    let mut key = String::new();
    for c in classes {
        let count = s.counts.get(c).copied().unwrap_or(0);
        let share = s.shares.get(c).copied().unwrap_or(0.0);
        if count > 0 {
            bar.push_str(&format!(
                "<span class=\"seg {}\" style=\"width:{}\" title=\"{}\">{}</span>",
                label_class(c),
                pct(share),
                escape(&format!("{c}: {count} of {paragraphs} ({})", pct(share))),
                escape(c)
            ));
        }
        let mean = s
            .mean_probabilities
            .get(c)
            .map(|m| format!(", mean p {}", num(*m, 2)))
            .unwrap_or_default();
        key.push_str(&format!(
            "<span class=\"{}\"><span class=\"swatch\"></span>{} {count}{}</span>",
            label_class(c),
            escape(c),
            escape(&mean)
        ));
    }
    format!(
        "<div class=\"task\">{} <span class=\"badge {}\" title=\"overall\">{}</span></div>\
         <div class=\"sbar\">{bar}</div><div class=\"skey\">{key}</div>",
        escape(&task.name),
        s.overall.as_deref().map_or("k-other", label_class),
        escape(s.overall.as_deref().unwrap_or("–"))
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Rows,
}

/// Streams a prediction report as one HTML page.
pub struct HtmlWriter<W: Write> {
    out: W,
    tasks: Vec<TaskInfo>,
    started: bool,
    open: Open,
    articles: usize,
    rows: usize,
}

impl<W: Write> HtmlWriter<W> {
    pub fn new(out: W, tasks: Vec<TaskInfo>) -> Self {
        HtmlWriter {
            out,
            tasks,
            started: false,
            open: Open::Nothing,
            articles: 0,
            rows: 0,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            let names: Vec<&str> = self.tasks.iter().map(|t| t.name.as_str()).collect();
            write!(
                self.out,
                "{}<header class=\"top\"><h1>stance report</h1>\
                 <div class=\"sub\">tasks: {}</div>{}</header>\n<main>\n",
                page_head("stance report"),
                escape(&names.join(", ")),
                legend(&self.tasks)
            )?;
            self.started = true;
        }
        Ok(())
    }

    fn close_rows(&mut self) -> io::Result<()> {
        if self.open == Open::Rows {
            writeln!(self.out, "</tbody></table>")?;
            self.open = Open::Nothing;
        }
        Ok(())
    }

    /// The CSS class that colours a paragraph or row by its label for the colouring task.
    fn colour(&self, predictions: &[TaskPrediction]) -> &'static str {
        predictions
            .get(colour_task(&self.tasks))
            .map_or("k-other", |x| label_class(&x.label))
    }

    fn paragraph(&mut self, p: &ParagraphResult) -> io::Result<()> {
        let colour = self.colour(&p.predictions);
        let terms = explain_terms(&self.tasks, &p.predictions);
        let preds: Vec<String> = self
            .tasks
            .iter()
            .zip(&p.predictions)
            .map(|(t, x)| prediction_html(t, x))
            .collect();
        writeln!(
            self.out,
            "<section class=\"para {colour}\"><div class=\"pnum\">{}</div><div class=\"pbody\">\
             <p class=\"text\">{}</p><div class=\"preds\">{}</div>{}</div></section>",
            p.index,
            highlight(&p.text, &terms),
            preds.join(""),
            why_html(&self.tasks, &p.predictions)
        )
    }

    fn row(&mut self, r: &ParagraphResult) -> io::Result<()> {
        let colour = self.colour(&r.predictions);
        let terms = explain_terms(&self.tasks, &r.predictions);
        let preds: String = self
            .tasks
            .iter()
            .zip(&r.predictions)
            .map(|(t, x)| format!("<div>{}</div>", prediction_html(t, x)))
            .collect();
        writeln!(
            self.out,
            "<tr class=\"row {colour}\"><td class=\"num\">{}</td><td>{}</td>\
             <td class=\"text\"><p class=\"text\">{}</p>{}</td><td>{preds}</td></tr>",
            r.index,
            escape(r.id.as_deref().unwrap_or("")),
            highlight(&r.text, &terms),
            why_html(&self.tasks, &r.predictions)
        )
    }
}

impl<W: Write> PredictionWriter for HtmlWriter<W> {
    fn article(&mut self, a: &ArticleResult) -> io::Result<()> {
        self.start()?;
        self.close_rows()?;
        self.articles += 1;
        let mut head = format!(
            "<article class=\"doc\" id=\"article-{}\">\n<h2>{}</h2>\n\
             <div class=\"counts\">{} paragraphs · {} skipped</div>\n<div class=\"summary\">",
            self.articles,
            escape(&a.name),
            a.summary.paragraphs,
            a.summary.skipped
        );
        for (t, (_, s)) in self.tasks.iter().zip(&a.summary.tasks) {
            head.push_str(&summary_html(t, s, a.summary.paragraphs));
        }
        head.push_str("</div>\n");
        if !a.skipped.is_empty() {
            head.push_str(&format!(
                "<details class=\"skipped\"><summary>{} skipped block{} (headings, boilerplate; \
                 not classified)</summary><ol>",
                a.skipped.len(),
                if a.skipped.len() == 1 { "" } else { "s" }
            ));
            for b in &a.skipped {
                let kind = match b.kind {
                    BlockKind::Heading => "heading",
                    BlockKind::Boilerplate => "boilerplate",
                    BlockKind::Paragraph => "paragraph",
                };
                head.push_str(&format!(
                    "<li><span class=\"kind\">{kind}</span>{}</li>",
                    escape(&b.text)
                ));
            }
            head.push_str("</ol></details>\n");
        }
        self.out.write_all(head.as_bytes())?;
        if a.paragraphs.is_empty() {
            writeln!(
                self.out,
                "<p class=\"note\">No paragraph to classify in this article.</p>"
            )?;
        }
        for p in &a.paragraphs {
            self.paragraph(p)?;
        }
        writeln!(self.out, "</article>")
    }

    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()> {
        self.start()?;
        if self.open != Open::Rows {
            let tasks: Vec<String> = self.tasks.iter().map(|t| escape(&t.name)).collect();
            writeln!(
                self.out,
                "<table class=\"rows\"><thead><tr><th class=\"num\">row</th><th>id</th>\
                 <th>text</th><th>{}</th></tr></thead><tbody>",
                tasks.join(" · ")
            )?;
            self.open = Open::Rows;
        }
        for r in rows {
            self.rows += 1;
            self.row(r)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        self.close_rows()?;
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let what = match (self.articles, self.rows) {
            (0, 0) => "nothing labelled".to_string(),
            (a, 0) => count(a, "article"),
            (0, r) => count(r, "row"),
            (a, r) => format!("{}, {}", count(a, "article"), count(r, "row")),
        };
        writeln!(
            self.out,
            "</main>\n<footer>{what} · written by stance {}</footer>\n</body>\n</html>",
            env!("CARGO_PKG_VERSION")
        )?;
        self.out.flush()
    }
}

// ---- evaluation report --------------------------------------------------------------------

/// One task's figures: headline cards, per-class table and confusion heat map.
fn report_html(name: &str, r: &Report) -> String {
    let mut s = format!(
        "<div class=\"task-eval\"><h3>{}</h3><div class=\"cards\">",
        escape(name)
    );
    let iv = r.interval.as_ref();
    let mut card = |label: &str, value: String, interval: Option<Interval>| {
        let range = match (iv, interval) {
            (Some(iv), Some(i)) => format!(
                "<div class=\"ci\" title=\"{:.0}% bootstrap interval, {} resamples of the rows\">{}–{}</div>",
                iv.level * 100.0,
                iv.resamples,
                num(i.low, 3),
                num(i.high, 3)
            ),
            _ => String::new(),
        };
        s.push_str(&format!(
            "<div class=\"card\"><div class=\"v\">{value}</div>{range}<div class=\"l\">{label}</div></div>"
        ));
    };
    card("rows", r.n.to_string(), None);
    card("accuracy", num(r.accuracy, 3), iv.map(|i| i.accuracy));
    card("macro-F1", num(r.macro_f1, 3), iv.map(|i| i.macro_f1));
    card(
        "macro-recall",
        num(r.macro_recall, 3),
        iv.map(|i| i.macro_recall),
    );
    if let Some(f) = r.f_avg {
        card(
            "F_avg (favor, against)",
            num(f, 3),
            iv.and_then(|i| i.f_avg),
        );
    }
    s.push_str("</div><div class=\"tables\">");

    // Per-class scores, in the confusion matrix's class order.
    s.push_str(
        "<div><h4>per class</h4><table class=\"classes\"><thead><tr><th>class</th>\
         <th class=\"num\">precision</th><th class=\"num\">recall</th><th class=\"num\">F1</th>\
         <th class=\"num\">support</th></tr></thead><tbody>",
    );
    let mut order: Vec<&String> = r.confusion.labels.iter().collect();
    for c in r.per_class.keys() {
        if !order.contains(&c) {
            order.push(c);
        }
    }
    for c in order {
        let Some(x) = r.per_class.get(c) else {
            continue;
        };
        let width = if x.f1.is_finite() {
            (x.f1.clamp(0.0, 1.0) * 60.0).round()
        } else {
            0.0
        };
        s.push_str(&format!(
            "<tr><td><span class=\"{}\"><span class=\"swatch\"></span></span>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}\
             <span class=\"f1bar\" style=\"width:{width}px\"></span></td><td class=\"num\">{}</td></tr>",
            label_class(c),
            escape(c),
            num(x.precision, 3),
            num(x.recall, 3),
            num(x.f1, 3),
            x.support
        ));
    }
    s.push_str("</tbody></table></div>");

    // Confusion heat map: rows = truth; shade = share of the truth row.
    let labels = &r.confusion.labels;
    s.push_str(&format!(
        "<div><h4>confusion matrix (rows = truth, columns = predicted)</h4><table class=\"cm\">\
         <thead><tr><th class=\"axis\">truth ↓ · predicted →</th>{}</tr></thead><tbody>",
        labels
            .iter()
            .map(|l| format!("<th class=\"num\">{}</th>", escape(l)))
            .collect::<String>()
    ));
    for (i, (l, row)) in labels.iter().zip(&r.confusion.matrix).enumerate() {
        let total: usize = row.iter().sum();
        s.push_str(&format!("<tr><th>{}</th>", escape(l)));
        for (j, &v) in row.iter().enumerate() {
            let share = if total == 0 {
                0.0
            } else {
                v as f64 / total as f64
            };
            // Blue on the diagonal (right), red off it (confused with another class).
            let (rgb, alpha) = if i == j {
                ("33,102,172", 0.08 + 0.82 * share)
            } else if v > 0 {
                ("178,24,43", 0.08 + 0.82 * share)
            } else {
                ("0,0,0", 0.0)
            };
            let ink = if alpha > 0.5 { "#fff" } else { "inherit" };
            s.push_str(&format!(
                "<td class=\"cell\" style=\"background:rgba({rgb},{alpha:.3});color:{ink}\" \
                 title=\"{}\">{v}<small>{}</small></td>",
                escape(&format!(
                    "truth {l}, predicted {}: {v} of {total}",
                    labels[j]
                )),
                match total {
                    0 => String::new(),
                    _ if v > 0 && share < 0.005 => "&lt;1%".to_string(),
                    _ if v < total && share > 0.995 => "&gt;99%".to_string(),
                    _ => format!("{:.0}%", share * 100.0),
                }
            ));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div></div></div>");
    s
}

/// The evaluation of `model_name` on `data_name` as one self-contained HTML page: per task
/// (and, for a grouped model, per group) the headline figures, per-class precision, recall,
/// F1 and support, and the confusion matrix as a heat map with truth in rows.
pub fn evaluation_html(e: &Evaluation, model_name: &str, data_name: &str) -> String {
    let mut s = page_head("stance evaluation");
    // Says once what the small ranges under the figures are.
    let intervals = e.tasks.iter().find_map(|(_, r)| r.interval.as_ref());
    let note = intervals.map_or(String::new(), |iv| {
        format!(
            " · under each figure, its {:.0}% bootstrap interval ({} resamples of the rows, \
             seed {}): how far it could move on another sample of as many rows",
            iv.level * 100.0,
            iv.resamples,
            iv.seed
        )
    });
    s.push_str(&format!(
        "<header class=\"top\"><h1>stance evaluation</h1>\
         <div class=\"sub\">model {} · data {}{note}</div></header>\n<main>\n",
        escape(model_name),
        escape(data_name)
    ));
    let overall = if e.groups.is_empty() {
        "all rows"
    } else {
        "all groups (predictions pooled)"
    };
    s.push_str(&format!("<section class=\"eval\"><h2>{overall}</h2>"));
    for (name, r) in &e.tasks {
        s.push_str(&report_html(name, r));
    }
    s.push_str("</section>\n");
    for (g, reports) in &e.groups {
        s.push_str(&format!(
            "<section class=\"eval\"><h2>group {}</h2>",
            escape(g)
        ));
        for (name, r) in reports {
            s.push_str(&report_html(name, r));
        }
        s.push_str("</section>\n");
    }
    s.push_str(&format!(
        "</main>\n<footer>written by stance {}</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::Block;
    use crate::predict::summarize;

    const HOSTILE: [&str; 3] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "&amp;",
    ];

    fn tasks(classes: &[&str]) -> Vec<TaskInfo> {
        vec![
            TaskInfo {
                name: "stance".into(),
                classes: classes.iter().map(|c| c.to_string()).collect(),
                explain: true,
            },
            TaskInfo {
                name: "sentiment".into(),
                classes: vec!["negative".into(), "neutral".into(), "positive".into()],
                explain: true,
            },
        ]
    }

    fn pred(label: &str, classes: &[&str], terms: &[&str]) -> TaskPrediction {
        let p = 1.0 / classes.len() as f64;
        TaskPrediction {
            label: label.into(),
            probabilities: classes.iter().map(|c| (c.to_string(), p)).collect(),
            explanation: terms.iter().map(|t| (t.to_string(), 0.25)).collect(),
        }
    }

    fn para(
        index: usize,
        text: &str,
        stance: &str,
        classes: &[&str],
        terms: &[&str],
    ) -> ParagraphResult {
        ParagraphResult {
            index,
            id: None,
            text: text.into(),
            predictions: vec![
                pred(stance, classes, terms),
                pred("negative", &["negative", "neutral", "positive"], &[]),
            ],
        }
    }

    fn render(f: impl FnOnce(&mut HtmlWriter<&mut Vec<u8>>)) -> String {
        let mut buf = Vec::new();
        {
            let mut w = HtmlWriter::new(&mut buf, tasks(&["against", "favor", "neutral"]));
            f(&mut w);
        }
        String::from_utf8(buf).unwrap()
    }

    /// No raw tag or attribute from the input can appear in `html`.
    fn assert_inert(html: &str) {
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("<img"), "{html}");
        assert!(!lower.contains("onerror=alert(1)>"), "{html}");
        assert!(!html.contains("\"&amp;\""), "{html}");
    }

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(escape(HOSTILE[0]), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(
            escape(HOSTILE[1]),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape(HOSTILE[2]), "&amp;amp;");
        assert_eq!(escape("it's"), "it&#39;s");
    }

    #[test]
    fn hostile_article_text_is_shown_as_text() {
        let classes = ["against", HOSTILE[1], "neutral"];
        let hostile_tasks = vec![
            TaskInfo {
                name: HOSTILE[0].into(),
                classes: classes.iter().map(|c| c.to_string()).collect(),
                explain: true,
            },
            TaskInfo {
                name: HOSTILE[2].into(),
                classes: vec!["negative".into(), "neutral".into(), "positive".into()],
                explain: true,
            },
        ];
        let paragraphs: Vec<ParagraphResult> = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, t)| {
                para(
                    i + 1,
                    &format!("Before {t} after"),
                    HOSTILE[1],
                    &classes,
                    &[HOSTILE[0], "c:<sc", "script", "alert", "amp"],
                )
            })
            .collect();
        let names: Vec<String> = hostile_tasks.iter().map(|t| t.name.clone()).collect();
        let class_lists: Vec<Vec<String>> =
            hostile_tasks.iter().map(|t| t.classes.clone()).collect();
        let summary = summarize(&names, &class_lists, &paragraphs, 1);
        let article = ArticleResult {
            name: format!("dir/{}.txt", HOSTILE[1]),
            paragraphs: paragraphs.clone(),
            skipped: vec![Block {
                kind: BlockKind::Heading,
                text: HOSTILE[0].into(),
            }],
            summary,
        };
        let mut rows = paragraphs;
        for (r, t) in rows.iter_mut().zip(HOSTILE) {
            r.id = Some(t.to_string());
        }
        let mut buf = Vec::new();
        {
            let mut w = HtmlWriter::new(&mut buf, hostile_tasks);
            w.article(&article).unwrap();
            w.rows(&rows).unwrap();
            w.finish().unwrap();
        }
        let html = String::from_utf8(buf).unwrap();
        assert_inert(&html);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        // `amp` is an explanation term: highlighted between the escaped `&` and `;`.
        assert!(html.contains("Before &amp;<mark title="), "{html}");
        assert!(html.contains(">amp</mark>; after"), "{html}");
        assert!(html.contains("<td>&amp;amp;</td>"), "{html}");
        assert!(html.contains("dir/&quot;&gt;&lt;img"));
        // The word terms are highlighted (inside the escaped text), char n-grams are not.
        assert!(html.contains("<mark title=\""), "{html}");
        assert!(html.contains(">alert</mark>"), "{html}");
        assert!(!html.contains("<mark title=\"c:"), "{html}");
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn hostile_evaluation_is_shown_as_text() {
        let labels: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
        let truth = [HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[0]];
        let predicted = [HOSTILE[0], HOSTILE[2], HOSTILE[2], HOSTILE[1]];
        let report = Report::new(&labels, &truth, &predicted);
        let e = Evaluation {
            tasks: vec![(HOSTILE[0].to_string(), report.clone())],
            groups: vec![(
                HOSTILE[1].to_string(),
                vec![(HOSTILE[2].to_string(), report)],
            )],
        };
        let html = evaluation_html(&e, HOSTILE[1], HOSTILE[0]);
        assert_inert(&html);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("group &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("<h3>&amp;amp;</h3>"));
        assert!(html.contains("all groups (predictions pooled)"));
        assert!(html.contains("class=\"k-other\""));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn evaluation_page_has_figures_and_heat_map() {
        let labels: Vec<String> = ["against", "favor", "neutral"].map(String::from).to_vec();
        let truth = ["favor", "favor", "favor", "against", "against", "neutral"];
        let pred = ["favor", "favor", "against", "against", "neutral", "neutral"];
        let e = Evaluation {
            tasks: vec![("stance".into(), Report::new(&labels, &truth, &pred))],
            groups: vec![],
        };
        let html = evaluation_html(&e, "m.model", "d.csv");
        assert!(html.contains("<h2>all rows</h2>"));
        assert!(html.contains("F_avg"));
        assert!(html.contains(">0.667</div><div class=\"l\">accuracy"));
        // favor row: 2 right (blue), 1 taken for against (red).
        assert!(html.contains("title=\"truth favor, predicted favor: 2 of 3\">2<small>67%</small>"));
        assert!(html.contains("rgba(178,24,43,"));
        assert_eq!(html.matches("<td class=\"cell\"").count(), 9);
        assert!(!html.contains("<script"));
    }

    #[test]
    fn highlights_whole_words_ignoring_case_and_accents() {
        let t = |w: &[&str]| Term {
            words: w.iter().map(|s| s.to_string()).collect(),
            title: "t".into(),
        };
        let h = highlight(
            "War warning: López said WAR. Troops, troops!",
            &[t(&["war"]), t(&["lopez", "said"]), t(&["troops", ","])],
        );
        assert_eq!(
            h,
            "<mark title=\"t\">War</mark> warning: <mark title=\"t\">López said</mark> \
             <mark title=\"t\">WAR</mark>. <mark title=\"t\">Troops,</mark> troops!"
        );
        // Overlapping terms make one mark naming both.
        let h = highlight(
            "send troops now",
            &[t(&["send", "troops"]), t(&["troops", "now"])],
        );
        assert_eq!(h, "<mark title=\"t\nt\">send troops now</mark>");
        assert_eq!(highlight("a < b", &[]), "a &lt; b");
    }

    #[test]
    fn explain_terms_skip_char_ngrams_and_merge_tasks() {
        let ts = tasks(&["against", "favor", "neutral"]);
        let mut p = para(
            1,
            "x",
            "favor",
            &["against", "favor", "neutral"],
            &["troops", "c:tro", ",", "’ ,", WORD_VECTORS],
        );
        p.predictions[1].explanation = vec![("troops".into(), 0.5), ("send troops".into(), 0.1)];
        let terms = explain_terms(&ts, &p.predictions);
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[0].words, ["troops"]);
        assert!(
            terms[0].title.contains("stance → favor")
                && terms[0].title.contains("sentiment → negative")
        );
        assert_eq!(terms[1].words, ["send", "troops"]);
    }

    #[test]
    fn streams_articles_and_rows_into_one_closed_page() {
        let classes = ["against", "favor", "neutral", "mystery"];
        let paragraphs = vec![para(1, "paragraph one", "against", &classes, &[])];
        let class_list: Vec<String> = classes[..3].iter().map(|c| c.to_string()).collect();
        let article = ArticleResult {
            name: "a.txt".into(),
            summary: summarize(&["stance".to_string()], &[class_list], &paragraphs, 0),
            paragraphs,
            skipped: vec![],
        };
        let html = render(|w| {
            w.rows(&[para(1, "row one", "favor", &classes, &[])])
                .unwrap();
            w.rows(&[para(2, "row two", "mystery", &classes, &[])])
                .unwrap();
            w.article(&article).unwrap();
            w.rows(&[para(3, "row three", "neutral", &classes, &[])])
                .unwrap();
            w.finish().unwrap();
        });
        assert_eq!(html.matches("<!DOCTYPE html>").count(), 1);
        // Row batches in a row share a table; an article closes it and the next rows open
        // another, so every table is closed and the article sits between them.
        assert_eq!(html.matches("<table class=\"rows\"").count(), 2);
        assert_eq!(html.matches("</tbody></table>").count(), 2);
        let (first_close, article_at, second_open) = (
            html.find("</tbody></table>").unwrap(),
            html.find("<article class=\"doc\"").unwrap(),
            html.rfind("<table class=\"rows\"").unwrap(),
        );
        assert!(
            first_close < article_at && article_at < second_open,
            "{html}"
        );
        assert_eq!(html.matches("</article>").count(), 1);
        assert!(html.contains("paragraph one"));
        assert!(html.contains("<tr class=\"row k-favor\">"));
        assert!(html.contains("<tr class=\"row k-other\">"));
        assert!(html.contains("1 article, 3 rows"), "{html}");
        assert!(html.trim_end().ends_with("</html>"));

        let empty = render(|w| w.finish().unwrap());
        assert!(empty.contains("nothing labelled") && empty.trim_end().ends_with("</html>"));
    }
}
