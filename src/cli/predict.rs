//! `stance predict`.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use rayon::prelude::*;
use stance::data::{self, DataSpec};
use stance::modelfile::ModelFile;
use stance::output::{self, Format, TaskInfo};
use stance::predict::{
    classify_article, classify_rows, collect_sources, read_source, ArticleResult, Source,
};
use stance::text::ngrams::with_thread_scratch;

use super::args::{PredictArgs, PredictFormat};

/// Articles labelled in parallel at a time; output keeps input order and memory stays flat.
const BATCH: usize = 64;

/// Rows of a data file labelled in parallel at a time.
const ROW_BATCH: usize = 4096;

pub fn run(a: PredictArgs) -> Result<()> {
    let model = ModelFile::load(&a.model)?;
    let tasks: Vec<TaskInfo> = model
        .task_names()
        .into_iter()
        .enumerate()
        .map(|(t, name)| TaskInfo {
            name,
            classes: model.classes(t),
            explain: a.explain > 0,
        })
        .collect();
    let format = match a.format {
        Some(PredictFormat::Table) => Format::Table,
        Some(PredictFormat::Json) => Format::Json,
        Some(PredictFormat::Jsonl) => Format::Jsonl,
        Some(PredictFormat::Csv) => Format::Csv,
        Some(PredictFormat::Html) => Format::Html,
        None if a.out.is_none() && std::io::stdout().is_terminal() => Format::Table,
        None => Format::Jsonl,
    };
    if let (Some(g), None) = (&a.group, &model.group_by) {
        // Regression: it was ignored without a word.
        return Err(stance::Error::param(
            "--group",
            format!("the model has no groups, so `{g}` picks nothing; leave --group out"),
        )
        .into());
    }
    if a.group.is_some() || model.group_by.is_none() {
        stance::predict::classifier_for(&model, a.group.as_deref())?;
    }

    // Output goes to a temporary file renamed into place at the end, or to stdout.
    let (sink, tmp): (Box<dyn Write>, _) = match &a.out {
        Some(path) => {
            let file = stance::atomic::AtomicFile::create(path)?;
            let f = file.writer()?;
            (Box::new(std::io::BufWriter::new(f)), Some(file))
        }
        None => (
            Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            None,
        ),
    };
    let mut writer = output::writer(format, sink, tasks);

    if let Some(path) = &a.data {
        let spec = DataSpec {
            text_column: a.text_column.clone(),
            group_column: model.group_by.clone(),
            group_from_model: true,
            require_labels: false,
            default_tasks: Vec::new(),
            ..DataSpec::default()
        };
        // Rows are read, labelled in parallel and written a batch at a time: memory stays
        // flat however long the file.
        let mut reader = data::RowReader::open(path, &spec)?;
        let mut done = 0;
        loop {
            let batch: Vec<data::Row> = reader
                .by_ref()
                .take(ROW_BATCH)
                .collect::<stance::Result<_>>()?;
            if batch.is_empty() {
                break;
            }
            writer.rows(&classify_rows(&model, path, &batch, done, a.explain)?)?;
            done += batch.len();
        }
    } else {
        // A data file given as an article is read as one long article, which is rarely what
        // was meant; the labels come out all the same, so say so where messages go.
        for p in a
            .paths
            .iter()
            .filter(|p| p.is_file() && data::is_data_file(p))
        {
            eprintln!(
                "stance: note: {} is read as an article (its text split into paragraphs); \
                 to label its rows, use --data {}",
                p.display(),
                p.display()
            );
        }
        let mut sources = collect_sources(&a.paths)?;
        if a.paths.is_empty() {
            if std::io::stdin().is_terminal() {
                anyhow::bail!(
                    "give article files or directories, - for standard input, or --data FILE"
                );
            }
            sources.push(Source::Stdin);
        }
        if sources.is_empty() {
            anyhow::bail!("no .txt, .md or .html articles found in the given paths");
        }
        for batch in sources.chunks(BATCH) {
            let results: Vec<_> = batch
                .par_iter()
                .map(|src| {
                    read_source(src).and_then(|art| {
                        with_thread_scratch(|scratch| {
                            classify_article(&model, a.group.as_deref(), &art, a.explain, scratch)
                        })
                        .map(|result| (result, art.page))
                    })
                })
                .collect();
            for r in results {
                let (r, page) = r?;
                if r.paragraphs.is_empty() {
                    eprintln!("stance: note: {}", no_paragraphs_note(&r, page));
                }
                writer.article(&r)?;
            }
        }
    }
    writer.finish()?;
    drop(writer);
    if let Some(file) = tmp {
        file.commit()?;
    }
    Ok(())
}

/// Why an article has nothing to label, so that an empty result is not taken for a verdict.
fn no_paragraphs_note(article: &ArticleResult, page: bool) -> String {
    let why = match article.skipped.len() {
        0 if page => "no article text was found in it".to_string(),
        0 => "it has no text".to_string(),
        n => format!("its {n} block(s) are headings or page furniture"),
    };
    let hint = if page {
        "; a page whose article is loaded by scripts has none in its HTML: copy the text from \
         a browser into a .txt file"
    } else {
        ""
    };
    format!("{}: no paragraphs to label ({why}){hint}", article.name)
}
