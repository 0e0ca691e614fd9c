//! Times the stages of one `stance train` fit in one process, so that a change to one stage
//! can be measured without the noise of whole runs: vectorise (TF-IDF fit and transform),
//! prepare (merge columns, copy by columns) and solve (L-BFGS). Prints the best and the median
//! of each stage over the repeats, in milliseconds, as one JSON object.
//!
//! `cargo run --release --example fit_stages -- CSV LABEL [REPEATS]`
//!
//! The options are those the benchmark chose for NewsMTSC: words 1-2, characters 2-5 inside
//! words, norm per part, sublinear tf, min_df 1, C = 1, no class weights.

use std::time::Instant;

use linfa::ParamGuard;
use ndarray::Array1;
use stance::features::{DocFreq, TfidfParams};
use stance::model::{Design, LogisticParams};
use stance::text::{AnalyzerParams, CharSource};

/// The allocator of the `stance` binary, so that the stages run as they do there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn read(path: &str, label: &str) -> Result<(Vec<String>, Vec<String>), Box<dyn std::error::Error>> {
    let mut r = csv::Reader::from_path(path)?;
    let headers = r.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(format!("{path} has no {name} column"))
    };
    let (t, l) = (column("text")?, column(label)?);
    let (mut texts, mut labels) = (Vec::new(), Vec::new());
    for record in r.records() {
        let record = record?;
        texts.push(record.get(t).unwrap_or_default().to_string());
        labels.push(record.get(l).unwrap_or_default().to_string());
    }
    Ok((texts, labels))
}

fn summary(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!(
        "{{\"best\": {:.1}, \"median\": {:.1}}}",
        ms[0],
        ms[ms.len() / 2]
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, label, rest @ ..] = args.as_slice() else {
        return Err("usage: fit_stages CSV LABEL [REPEATS]".into());
    };
    let repeats: usize = rest.first().map_or(Ok(5), |r| r.parse())?;
    let (texts, labels) = read(path, label)?;
    let tfidf = TfidfParams {
        analyzer: AnalyzerParams {
            word_ngrams: (1, 2),
            char_ngrams: Some((2, 5)),
            char_source: CharSource::Words,
        },
        min_df: DocFreq::Count(1),
        sublinear_tf: true,
        norm_per_part: true,
        ..TfidfParams::default()
    };
    let params = LogisticParams::new().c(1.0).check()?;
    let targets = Array1::from(labels);
    let (mut vectorise, mut prepare, mut solve) = (Vec::new(), Vec::new(), Vec::new());
    let mut iterations = 0;
    for _ in 0..repeats {
        let start = Instant::now();
        let (_, x) = tfidf.fit_transform(&texts)?;
        vectorise.push(start.elapsed().as_secs_f64() * 1e3);
        let start = Instant::now();
        let design = Design::new(&x);
        prepare.push(start.elapsed().as_secs_f64() * 1e3);
        let start = Instant::now();
        let model = params.fit_design(&design, targets.view())?;
        solve.push(start.elapsed().as_secs_f64() * 1e3);
        iterations = model.iterations();
    }
    println!(
        "{{\"rows\": {}, \"repeats\": {repeats}, \"iterations\": {iterations}, \"vectorise_ms\": {}, \"prepare_ms\": {}, \"solve_ms\": {}}}",
        texts.len(),
        summary(vectorise),
        summary(prepare),
        summary(solve)
    );
    Ok(())
}
