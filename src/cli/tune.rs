//! `stance tune`.

use std::io::Write;

use anyhow::Result;
use stance::data::{self, DataSpec, Dataset};
use stance::features::TfidfParams;
use stance::model::{ClassWeight, LogisticParams, Loss};
use stance::modelfile::{sha256_of_files, Selection, TrainingOptions};
use stance::output::evaluation_table;
use stance::shared::GroupWeights;
use stance::text::{CharSource, Hashtags};
use stance::train::model_file;
use stance::tune::{fit_chosen, tune, Grid, Scheme, Trial};

use super::args::TuneArgs;
use super::progress::Bar;

fn describe(t: &Trial, both_weightings: bool, both_hashtags: bool, both_vectors: bool) -> String {
    let a = &t.tfidf.analyzer;
    let chars = match a.char_ngrams {
        Some((lo, hi)) => {
            let source = match a.char_source {
                CharSource::Tokens => "",
                CharSource::Words => " words",
            };
            let norm = if t.tfidf.norm_per_part {
                "parts"
            } else {
                "row"
            };
            format!("{lo}-{hi}{source} (norm {norm})")
        }
        None => "off".into(),
    };
    let tasks: Vec<String> = t
        .tasks
        .iter()
        .map(|c| {
            let cw = if c.class_weight == ClassWeight::Balanced {
                "balanced"
            } else {
                "none"
            };
            let loss = match c.loss {
                Loss::Logistic => String::new(),
                other => format!(" {}", other.name()),
            };
            format!("{}: C={} {cw}{loss} {:.4}", c.task, c.c, c.score)
        })
        .collect();
    // Named on every line when both were searched, so that the columns line up.
    let shared = match (t.group_weights, both_weightings) {
        (GroupWeights::Shared, _) => "shared    ",
        (GroupWeights::Separate, true) => "separate  ",
        (GroupWeights::Separate, false) => "",
    };
    // Named on every line when both were searched, so that the columns line up.
    let hashtags = match (a.hashtags, both_hashtags) {
        (Hashtags::Split, _) => "hashtags split  ",
        (Hashtags::Keep, true) => "hashtags keep   ",
        (Hashtags::Keep, false) => "",
    };
    let vectors = match (t.tfidf.vectors.is_some(), both_vectors) {
        (true, _) => "vectors on   ",
        (false, true) => "vectors off  ",
        (false, false) => "",
    };
    format!(
        "{shared}{hashtags}{vectors}words {}-{}  chars {chars:<22}  sublinear {:<3}  min_df {}  | {}",
        a.word_ngrams.0,
        a.word_ngrams.1,
        if t.tfidf.sublinear_tf { "on" } else { "off" },
        t.tfidf.min_df,
        tasks.join("; ")
    )
}

fn append(train: &Dataset, val: &Dataset) -> Dataset {
    let mut all = train.clone();
    all.rows.extend(val.rows.iter().cloned());
    all
}

pub fn run(a: TuneArgs) -> Result<()> {
    let grid = Grid {
        c: a.c_values.clone(),
        loss: a.losses.clone(),
        class_weight: a.class_weights.clone(),
        word_ngrams: a.ngram_values.clone(),
        char_ngrams: a.char_ngram_values.clone(),
        char_source: a.char_source_values.iter().map(|&s| s.into()).collect(),
        hashtags: a.hashtags_values.iter().map(|&h| h.into()).collect(),
        sublinear_tf: a.sublinear_values.clone(),
        norm_per_part: a.norm_values.iter().map(|n| n.per_part()).collect(),
        min_df: a.min_df_values.clone(),
        vectors: a
            .vector_values
            .clone()
            .unwrap_or_else(|| match a.vectors.vectors {
                Some(_) => vec![false, true],
                None => vec![false],
            }),
        group_weights: a.group_weights_values.clone(),
    };
    let base_tfidf = TfidfParams {
        max_df: a.max_df,
        vectors: a.vectors.params()?,
        ..TfidfParams::default()
    };
    let base_logistic = LogisticParams::new()
        .max_iterations(a.max_iter)
        .tolerance(a.tol);
    let spec = DataSpec {
        text_column: a.columns.text_column.clone(),
        label_columns: a.columns.labels.clone(),
        group_column: a.group_by.clone(),
        ..DataSpec::default()
    };
    // The model is written after the whole search: find an unwritable path first.
    stance::atomic::check_target(&a.out)?;
    let train = data::read(&a.data, &spec)?;
    let scheme = match (&a.validation, a.cv) {
        (Some(v), _) => Scheme::Validation(data::read(v, &spec)?),
        (None, Some(k)) => Scheme::CrossValidation {
            folds: k,
            seed: a.seed,
        },
        (None, None) => anyhow::bail!("give --validation FILE or --cv K to score the settings"),
    };
    let tuned = tune(
        &train,
        &scheme,
        &grid,
        a.select,
        &base_tfidf,
        &base_logistic,
        &mut Bar::new(),
    )?;

    let per_group = tuned.trials_per_unit;
    let method = match &scheme {
        Scheme::Validation(_) => "validation".to_string(),
        Scheme::CrossValidation { folds, .. } => format!("cv-{folds}"),
    };
    // A reader that stops early (`stance tune ... | head`) must not cost the user the model:
    // a closed pipe is remembered, the model written, and only then the pipe reported (which
    // ends quietly, main.rs).
    let printed = (|| -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{per_group} settings × {} C × {} class weights{} per group, scored by {method}",
            grid.c.len(),
            grid.class_weight.len(),
            if grid.loss.len() > 1 {
                format!(" × {} losses", grid.loss.len())
            } else {
                String::new()
            }
        )?;
        // Which choices the ranking holds both sides of, read off the trials themselves.
        let any = |p: &dyn Fn(&Trial) -> bool| tuned.trials.iter().any(p);
        let both = any(&|t| t.group_weights == GroupWeights::Shared)
            && any(&|t| t.group_weights == GroupWeights::Separate);
        let both_hashtags = any(&|t| t.tfidf.analyzer.hashtags == Hashtags::Split)
            && any(&|t| t.tfidf.analyzer.hashtags == Hashtags::Keep);
        let both_vectors =
            any(&|t| t.tfidf.vectors.is_some()) && any(&|t| t.tfidf.vectors.is_none());
        for chunk in tuned.trials.chunks(per_group) {
            match &chunk[0].group {
                Some(g) => writeln!(out, "group {g}")?,
                None if a.group_by.is_some() => {
                    writeln!(out, "all groups (one setting for every group)")?
                }
                None => {}
            }
            for (rank, t) in chunk.iter().take(a.top).enumerate() {
                writeln!(
                    out,
                    "{:>3}. {:.4}  {}",
                    rank + 1,
                    t.score,
                    describe(t, both, both_hashtags, both_vectors)
                )?;
            }
        }
        writeln!(
            out,
            "\nchosen settings, {method} scores (all groups pooled)"
        )?;
        write!(out, "{}", evaluation_table(&tuned.pooled))?;
        out.flush()?;
        Ok(())
    })();
    let printed = match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        other => other,
    };

    let (fit_data, data_sha256) = match (&scheme, a.refit_all) {
        (Scheme::Validation(v), true) => (append(&train, v), sha256_of_files(&[&a.data, &v.path])?),
        _ => (train.clone(), sha256_of_files(&[&a.data])?),
    };
    let fitted = fit_chosen(&fit_data, &tuned, &base_logistic)?;
    let first = &tuned.chosen[0];
    let options = TrainingOptions {
        tfidf: first.tfidf.clone(),
        c: first.tasks[0].c,
        c_path: first.tasks[0].c_path.clone(),
        class_weight: first.tasks[0].class_weight,
        loss: first.tasks[0].loss,
        max_iterations: a.max_iter,
        tolerance: a.tol,
        cv_folds: a.cv,
        seed: a.seed,
        text_column: a.columns.text_column.clone(),
        group_weights: first.group_weights,
        selection: Some(Selection {
            method: if a.group_by.is_some() {
                format!("{method}, {:?} selection", a.select).to_lowercase()
            } else {
                method.clone()
            },
            settings_tried: per_group,
            chosen: tuned.chosen.clone(),
        }),
    };
    let (cv, validation) = match scheme {
        Scheme::Validation(_) => (None, Some(tuned.pooled.clone())),
        Scheme::CrossValidation { .. } => (Some(tuned.pooled.clone()), None),
    };
    let model = model_file(
        &fit_data,
        data_sha256,
        options,
        a.group_by.clone(),
        fitted,
        cv,
        validation,
    )?;
    model.save(&a.out)?;
    eprintln!(
        "stance: tuned on {} rows{}; wrote {}",
        train.rows.len(),
        if a.refit_all {
            " (final fit on training + validation rows)"
        } else {
            ""
        },
        a.out.display()
    );
    printed?;
    Ok(())
}
