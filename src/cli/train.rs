//! `stance train`.

use anyhow::Result;
use stance::data::{self, DataSpec};
use stance::modelfile::sha256_of_files;
use stance::output::evaluation_table;
use stance::train::{train, TrainConfig};

use super::args::TrainArgs;
use super::progress::Bar;

pub fn run(a: TrainArgs) -> Result<()> {
    let spec = DataSpec {
        text_column: a.columns.text_column.clone(),
        label_columns: a.columns.labels.clone(),
        group_column: a.group_by.clone(),
        ..DataSpec::default()
    };
    // Reading a word-vectors file is part of making the features, so it counts in the
    // training time (the data file's reading does not, as for the benchmark's peers).
    let vectors_started = std::time::Instant::now();
    let tfidf = a.features.params()?;
    let vectors_read = vectors_started.elapsed();
    let config = TrainConfig {
        tfidf,
        logistic: a.model.params(),
        c_path: a.model.c_path.clone(),
        cv: a.cv,
        seed: a.seed,
        group_by: a.group_by.clone(),
        group_weights: a.group_weights,
        text_column: a.columns.text_column.clone(),
    };
    // Check every option before reading data or fitting anything.
    config.tfidf.check()?;
    config.path()?;
    stance::atomic::check_target(&a.out)?;
    let data = data::read(&a.data, &spec)?;
    let data_sha256 = sha256_of_files(&[&a.data])?;
    let started = std::time::Instant::now();
    let model = train(&data, data_sha256, &config, &mut Bar::new())?;
    let seconds = (started.elapsed() + vectors_read).as_secs_f64();
    // The model first: a reader of the report that stops early (a closed pipe) must not cost
    // the user the model.
    model.save(&a.out)?;
    if let Some(k) = a.cv {
        let reports: Vec<_> = model
            .metadata
            .tasks
            .iter()
            .filter_map(|(n, t)| t.cv.clone().map(|r| (n.clone(), r)))
            .collect();
        // write!, not print!: print! panics on a closed pipe.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        write!(
            out,
            "{k}-fold cross-validation\n{}",
            evaluation_table(&reports)
        )?;
        out.flush()?;
    }
    let iters: Vec<String> = model
        .metadata
        .tasks
        .iter()
        .map(|(n, t)| {
            let most = t.iterations.iter().max().copied().unwrap_or(0);
            format!(
                "{n}: {} classes, {most} iterations{}",
                t.classes.len(),
                if t.converged {
                    ""
                } else {
                    " (not converged; raise --max-iter)"
                }
            )
        })
        .collect();
    // Each group has its own vocabulary (a shared model's groups all read one).
    let sizes: Vec<usize> = model
        .models
        .iter()
        .map(|m| m.classifier.vectorizer.n_features())
        .collect();
    let (fewest, most) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );
    let vocabulary = if fewest == most {
        format!("{most} vocabulary terms")
    } else {
        format!("{} groups of {fewest}-{most} vocabulary terms", sizes.len())
    };
    eprintln!(
        "stance: trained on {} rows in {seconds:.3} s{} ({vocabulary}; {}); wrote {}",
        data.rows.len(),
        if a.cv.is_some() {
            ", cross-validation included"
        } else {
            ""
        },
        iters.join("; "),
        a.out.display()
    );
    Ok(())
}
