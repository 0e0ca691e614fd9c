//! Times the stages of one `stance train` fit in one process, so that a change to one stage
//! can be measured without the noise of whole runs: vectorise (TF-IDF fit and transform),
//! prepare (merge columns, copy by columns) and solve (Newton-CG). Prints the best and the median
//! of each stage over the repeats, in milliseconds, as one JSON object, with the matrix's
//! number of stored values and the process's peak RSS at the end of each stage of the first
//! repeat (Linux's `VmHWM`; null elsewhere).
//!
//! `cargo run --release --example fit_stages -- CSV LABEL [REPEATS]`
//!
//! The options are those the benchmark chose for NewsMTSC (BENCHMARKS.md at 2517478): words
//! 1-2, characters 2-5 inside tokens, norm per part, sublinear tf, min_df 1, squared hinge,
//! C = 0.1, balanced class weights.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use linfa::ParamGuard;
use ndarray::Array1;
use stance::features::{DocFreq, TfidfParams};
use stance::model::{ClassWeight, Design, LogisticParams, Loss};
use stance::text::{AnalyzerParams, CharSource};

/// The allocator of the `stance` binary, so that the stages run as they do there, counting
/// the bytes in use and their peak.
#[global_allocator]
static GLOBAL: Counting = Counting;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed to mimalloc unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block alongside the old one, as a moving realloc holds both.
        grew(new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// The peak of heap bytes in use since the last call, in MiB; the next period starts from
/// what is in use now.
fn heap_peak_mib() -> f64 {
    let peak = PEAK.swap(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    peak as f64 / (1024.0 * 1024.0)
}

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

/// The process's peak resident set so far, in MiB, where Linux tells it.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn mib(v: Option<f64>) -> String {
    v.map_or("null".into(), |m| format!("{m:.0}"))
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
    let mut peaks = vec![peak_rss_mib()];
    let mut heap = vec![heap_peak_mib()];
    let tfidf = TfidfParams {
        analyzer: AnalyzerParams {
            word_ngrams: (1, 2),
            char_ngrams: Some((2, 5)),
            char_source: CharSource::Tokens,
            ..AnalyzerParams::default()
        },
        min_df: DocFreq::Count(1),
        sublinear_tf: true,
        norm_per_part: true,
        ..TfidfParams::default()
    };
    let params = LogisticParams::new()
        .c(0.1)
        .loss(Loss::SquaredHinge)
        .class_weight(ClassWeight::Balanced)
        .check()?;
    let targets = Array1::from(labels);
    let (mut vectorise, mut prepare, mut solve) = (Vec::new(), Vec::new(), Vec::new());
    let (mut iterations, mut nnz) = (0, 0);
    // The peaks after each stage, of the first repeat only (later repeats reuse its memory).
    let mut record = |repeat: usize| {
        if repeat == 0 {
            peaks.push(peak_rss_mib());
            heap.push(heap_peak_mib());
        }
    };
    for repeat in 0..repeats {
        let start = Instant::now();
        let (_, x) = tfidf.fit_transform_f32(&texts)?;
        vectorise.push(start.elapsed().as_secs_f64() * 1e3);
        nnz = x.nnz();
        record(repeat);
        let start = Instant::now();
        // As `stance train` does: the TF-IDF matrix is dropped once the solver's copy exists.
        let design = Design::new(&x);
        drop(x);
        prepare.push(start.elapsed().as_secs_f64() * 1e3);
        record(repeat);
        let start = Instant::now();
        let model = params.fit_design(&design, targets.view())?;
        solve.push(start.elapsed().as_secs_f64() * 1e3);
        iterations = model.iterations();
        record(repeat);
    }
    println!(
        "{{\"rows\": {}, \"nnz\": {nnz}, \"repeats\": {repeats}, \"iterations\": {iterations}, \"vectorise_ms\": {}, \"prepare_ms\": {}, \"solve_ms\": {}, \"peak_rss_mib\": {{\"read\": {}, \"vectorised\": {}, \"prepared\": {}, \"solved\": {}}}, \"heap_peak_mib\": {{\"read\": {:.0}, \"vectorise\": {:.0}, \"prepare\": {:.0}, \"solve\": {:.0}}}}}",
        texts.len(),
        summary(vectorise),
        summary(prepare),
        summary(solve),
        mib(peaks[0]),
        mib(peaks[1]),
        mib(peaks[2]),
        mib(peaks[3]),
        heap[0],
        heap[1],
        heap[2],
        heap[3],
    );
    Ok(())
}
