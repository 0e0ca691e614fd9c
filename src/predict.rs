//! Prediction: articles (or data rows) in, labelled paragraphs and per-article summaries out.
//!
//! Articles are split into paragraphs ([`crate::paragraphs`]); headings and boilerplate are
//! kept as skipped blocks, every paragraph is labelled by each task, and each article gets a
//! [`Summary`]: paragraphs per label, their shares, mean probabilities and an overall label.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::classifier::{Classifier, TaskPrediction};
use crate::data::Row;
use crate::error::{Error, Result};
use crate::modelfile::ModelFile;
use crate::paragraphs::{html, split_article, Block, BlockKind};
use crate::text::ngrams::{with_thread_scratch, Scratch};

/// Where an article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

/// File extensions of text articles read when a directory is given (and those of web pages,
/// [`html::HTML_EXTENSIONS`]).
pub const TEXT_EXTENSIONS: [&str; 3] = ["txt", "md", "markdown"];

/// Expands the command line's paths: `-` is standard input, directories are walked
/// recursively for `.txt`, `.md` and `.html` files (sorted, so output order is stable).
pub fn collect_sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            out.extend(files.into_iter().map(Source::File));
        } else if p.exists() {
            out.push(Source::File(p.clone()));
        } else {
            return Err(Error::io(
                p,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if html::has_extension(&path, &TEXT_EXTENSIONS)
            || html::has_extension(&path, &html::HTML_EXTENSIONS)
        {
            out.push(path);
        }
    }
    Ok(())
}

/// An article's name (its path, or `-`) and text.
#[derive(Debug, Clone)]
pub struct Article {
    pub name: String,
    pub text: String,
    /// Whether it was read as a web page (its text is then its article's text).
    pub page: bool,
}

/// Reads one source as UTF-8 text (or UTF-16 with a byte-order mark); a web page
/// ([`html::is_html`]) is read in its own encoding ([`html::decode`]) and becomes its article's
/// text ([`html::to_text`]).
pub fn read_source(source: &Source) -> Result<Article> {
    let (name, bytes) = match source {
        Source::File(p) => (
            p.display().to_string(),
            std::fs::read(p).map_err(|e| Error::io(p, e))?,
        ),
        Source::Stdin => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| Error::io("<stdin>", e))?;
            ("-".to_string(), b)
        }
    };
    let path = match source {
        Source::File(p) => Some(p.as_path()),
        Source::Stdin => None,
    };
    // Text saved as "Unicode" on Windows is UTF-16 with a byte-order mark: read it as what it
    // is, then as UTF-8 like the rest. (Its UTF-8 mark keeps a page's own declaration from
    // deciding again, as the UTF-16 mark did.)
    let bytes = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((encoding, _)) if encoding != encoding_rs::UTF_8 => {
            format!("\u{feff}{}", html::decode(&bytes)).into_bytes()
        }
        _ => bytes,
    };
    // A page says its encoding in its first bytes; plain text must be UTF-8.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    if html::is_web_archive(path, &head) {
        return Err(Error::WebArchive {
            path: PathBuf::from(&name),
        });
    }
    if html::is_html(path, &head) {
        let text = html::to_text(&html::decode(&bytes));
        return Ok(Article {
            name,
            text,
            page: true,
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        Error::InvalidUtf8 {
            path: PathBuf::from(&name),
            line: valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1,
        }
    })?;
    Ok(Article {
        name,
        text,
        page: false,
    })
}

/// One labelled paragraph (or data row).
#[derive(Debug, Clone)]
pub struct ParagraphResult {
    /// 1-based number among the article's classified paragraphs (or the row number).
    pub index: usize,
    /// The row's `id`, for data rows.
    pub id: Option<String>,
    pub text: String,
    /// One prediction per task, in the model's task order.
    pub predictions: Vec<TaskPrediction>,
}

/// A task's summary over an article's paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSummary {
    pub counts: BTreeMap<String, usize>,
    pub shares: BTreeMap<String, f64>,
    pub mean_probabilities: BTreeMap<String, f64>,
    /// The most common label other than `neutral`/`none`; the neutral label when every
    /// paragraph is neutral. Ties go to the label with the higher mean probability. `None`
    /// for an article without paragraphs, which takes no side and has no tone to report
    /// (it used to get the last class of a model without a neutral one, e.g. `favor`).
    pub overall: Option<String>,
}

/// Labels that mean "takes no side" / "no marked tone".
pub const NEUTRAL_LABELS: [&str; 2] = ["neutral", "none"];

/// An article's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub paragraphs: usize,
    pub skipped: usize,
    /// Per task, in the model's task order.
    pub tasks: Vec<(String, TaskSummary)>,
}

/// A labelled article.
#[derive(Debug, Clone)]
pub struct ArticleResult {
    pub name: String,
    pub paragraphs: Vec<ParagraphResult>,
    pub skipped: Vec<Block>,
    pub summary: Summary,
}

/// Summarises the paragraphs of one article for every task of `model`.
pub fn summarize(
    tasks: &[String],
    classes: &[Vec<String>],
    paragraphs: &[ParagraphResult],
    skipped: usize,
) -> Summary {
    let n = paragraphs.len();
    let tasks = tasks
        .iter()
        .enumerate()
        .map(|(t, name)| {
            let mut counts: BTreeMap<String, usize> =
                classes[t].iter().map(|c| (c.clone(), 0)).collect();
            let mut sums: BTreeMap<String, f64> =
                classes[t].iter().map(|c| (c.clone(), 0.0)).collect();
            for p in paragraphs {
                *counts.entry(p.predictions[t].label.clone()).or_insert(0) += 1;
                for (c, pr) in &p.predictions[t].probabilities {
                    *sums.entry(c.clone()).or_insert(0.0) += pr;
                }
            }
            let denom = n.max(1) as f64;
            let shares = counts
                .iter()
                .map(|(c, &k)| (c.clone(), k as f64 / denom))
                .collect();
            let mean: BTreeMap<String, f64> =
                sums.into_iter().map(|(c, s)| (c, s / denom)).collect();
            let sided = counts
                .iter()
                .filter(|(c, &k)| k > 0 && !NEUTRAL_LABELS.contains(&c.as_str()))
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| mean[a.0].total_cmp(&mean[b.0])))
                .map(|(c, _)| c.clone());
            // With paragraphs, every label is sided or neutral, so one of the two is found.
            let overall = sided.or_else(|| {
                (n > 0)
                    .then(|| {
                        classes[t]
                            .iter()
                            .find(|c| NEUTRAL_LABELS.contains(&c.as_str()))
                            .cloned()
                    })
                    .flatten()
            });
            (
                name.clone(),
                TaskSummary {
                    counts,
                    shares,
                    mean_probabilities: mean,
                    overall,
                },
            )
        })
        .collect();
    Summary {
        paragraphs: n,
        skipped,
        tasks,
    }
}

/// Picks the classifier for `group`, with a message that lists the known groups.
pub fn classifier_for<'m>(model: &'m ModelFile, group: Option<&str>) -> Result<&'m Classifier> {
    model.classifier(group).ok_or_else(|| {
        let known: Vec<String> = model
            .models
            .iter()
            .filter_map(|m| m.group.clone())
            .collect();
        Error::param(
            "--group",
            format!(
                "the model has one classifier per `{}`; give one of: {}",
                model.group_by.clone().unwrap_or_default(),
                known.join(", ")
            ),
        )
    })
}

/// Picks the classifier for a data row's group; a group the model lacks is an error that
/// names the file, the line and the group (not an option the command may not have).
pub fn classifier_for_row<'m>(
    model: &'m ModelFile,
    path: &Path,
    row: &Row,
) -> Result<&'m Classifier> {
    classifier_for(model, row.group.as_deref()).map_err(|e| match e {
        Error::InvalidParam { reason, .. } => Error::Parse {
            path: path.into(),
            line: row.line,
            message: format!(
                "group `{}`: {reason}",
                row.group.clone().unwrap_or_default()
            ),
        },
        e => e,
    })
}

/// Splits and labels one article.
pub fn classify_article(
    model: &ModelFile,
    group: Option<&str>,
    article: &Article,
    explain: usize,
    scratch: &mut Scratch,
) -> Result<ArticleResult> {
    let clf = classifier_for(model, group)?;
    let mut paragraphs = Vec::new();
    let mut skipped = Vec::new();
    for block in split_article(&article.text) {
        if block.kind == BlockKind::Paragraph {
            let predictions = clf.predict(&block.text, explain, scratch);
            paragraphs.push(ParagraphResult {
                index: paragraphs.len() + 1,
                id: None,
                text: block.text,
                predictions,
            });
        } else {
            skipped.push(block);
        }
    }
    let tasks = model.task_names();
    let classes: Vec<Vec<String>> = (0..tasks.len()).map(|t| model.classes(t)).collect();
    let summary = summarize(&tasks, &classes, &paragraphs, skipped.len());
    Ok(ArticleResult {
        name: article.name.clone(),
        paragraphs,
        skipped,
        summary,
    })
}

/// Labels rows of data file `path` (routing each to its group's classifier when grouped);
/// `first` is the number of rows before them, so that each result carries its row number.
pub fn classify_rows(
    model: &ModelFile,
    path: &Path,
    rows: &[Row],
    first: usize,
    explain: usize,
) -> Result<Vec<ParagraphResult>> {
    use rayon::prelude::*;
    // Each thread's own scratch: what it remembers of words carries over from batch to batch
    // (a fresh one per batch made labelling 117,000 rows in batches of 4096 take 25% longer).
    rows.par_iter()
        .enumerate()
        .map(|(i, row)| {
            let clf = classifier_for_row(model, path, row)?;
            Ok(ParagraphResult {
                index: first + i + 1,
                id: row.id.clone(),
                text: row.text.clone(),
                predictions: with_thread_scratch(|scratch| {
                    clf.predict(&row.text, explain, scratch)
                }),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(labels: &[(&str, f64)]) -> ParagraphResult {
        let (best, _) = labels
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .copied()
            .unwrap();
        ParagraphResult {
            index: 1,
            id: None,
            text: String::new(),
            predictions: vec![TaskPrediction {
                label: best.to_string(),
                probabilities: labels.iter().map(|(c, p)| (c.to_string(), *p)).collect(),
                explanation: vec![],
            }],
        }
    }

    #[test]
    fn overall_is_most_common_sided_label() {
        let classes = vec![vec![
            "against".to_string(),
            "favor".into(),
            "neutral".into(),
        ]];
        let tasks = vec!["stance".to_string()];
        let ps = vec![
            para(&[("against", 0.7), ("favor", 0.1), ("neutral", 0.2)]),
            para(&[("against", 0.1), ("favor", 0.1), ("neutral", 0.8)]),
            para(&[("against", 0.1), ("favor", 0.2), ("neutral", 0.7)]),
        ];
        let s = summarize(&tasks, &classes, &ps, 2);
        let t = &s.tasks[0].1;
        assert_eq!(t.overall.as_deref(), Some("against"));
        assert_eq!(t.counts["neutral"], 2);
        assert_eq!(t.counts["favor"], 0);
        assert!((t.shares["neutral"] - 2.0 / 3.0).abs() < 1e-12);
        assert!((t.mean_probabilities["against"] - 0.3).abs() < 1e-12);
        assert_eq!(s.skipped, 2);
        let all_neutral = summarize(&tasks, &classes, &ps[1..], 0);
        assert_eq!(all_neutral.tasks[0].1.overall.as_deref(), Some("neutral"));
        let empty = summarize(&tasks, &classes, &[], 0);
        assert_eq!(empty.tasks[0].1.overall, None);
        assert_eq!(empty.tasks[0].1.counts["against"], 0);
    }

    /// Regression: an article without paragraphs was summarised as the last class of a
    /// model without a neutral class (`favor`), as if it took that side.
    #[test]
    fn article_without_paragraphs_has_no_overall_label() {
        let classes = vec![vec!["against".to_string(), "favor".into()]];
        let s = summarize(&["stance".to_string()], &classes, &[], 3);
        assert_eq!(s.tasks[0].1.overall, None);
        assert_eq!(s.paragraphs, 0);
        let ps = vec![para(&[("against", 0.4), ("favor", 0.6)])];
        let s = summarize(&["stance".to_string()], &classes, &ps, 0);
        assert_eq!(s.tasks[0].1.overall.as_deref(), Some("favor"));
    }

    #[test]
    fn missing_path_is_reported() {
        let err = collect_sources(&[PathBuf::from("/no/such/article.txt")]).unwrap_err();
        assert!(err.to_string().contains("/no/such/article.txt"));
    }
}
