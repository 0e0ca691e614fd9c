//! Measures tokenisation throughput on one core: the fast tokenizer, the `tokenizers`
//! reference, and a plain lowercase-and-split for scale. Prints one JSON object.
//!
//! `cargo run --release --example tokenize_speed -- FILE [FILE ...]`
//! CSV files contribute their `text` column; other files their whole contents.

use std::time::Instant;

use stance::text::{reference, Tokenizer, Tokens};

fn texts(path: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    if path.ends_with(".csv") {
        let mut r = csv::Reader::from_path(path)?;
        let col = r
            .headers()?
            .iter()
            .position(|h| h == "text")
            .ok_or("no text column")?;
        let mut out = Vec::new();
        for rec in r.records() {
            out.push(rec?.get(col).unwrap_or_default().to_string());
        }
        Ok(out)
    } else {
        Ok(vec![std::fs::read_to_string(path)?])
    }
}

fn rate(bytes: usize, f: impl Fn() -> usize) -> (f64, usize) {
    // Repeat until at least half a second has passed, then take the best of three.
    let mut best = f64::MAX;
    let mut tokens = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let mut reps = 0;
        while start.elapsed().as_secs_f64() < 0.5 {
            tokens = f();
            reps += 1;
        }
        best = best.min(start.elapsed().as_secs_f64() / reps as f64);
    }
    (bytes as f64 / best / 1e6, tokens)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut all = Vec::new();
    for p in std::env::args().skip(1) {
        all.extend(texts(&p)?);
    }
    let bytes: usize = all.iter().map(String::len).sum();
    let (fast, n_fast) = rate(bytes, || {
        let mut t = Tokens::default();
        all.iter()
            .map(|s| {
                Tokenizer.tokenize_into(s, &mut t);
                t.len()
            })
            .sum()
    });
    let (reference, n_ref) = rate(bytes, || {
        all.iter().map(|s| reference::tokens(s).len()).sum()
    });
    let (split, _) = rate(bytes, || {
        all.iter()
            .map(|s| s.to_lowercase().split_whitespace().count())
            .sum()
    });
    println!(
        "{{\"bytes\":{bytes},\"texts\":{},\"fast_mb_s\":{fast:.1},\"reference_mb_s\":{reference:.1},\"lowercase_split_mb_s\":{split:.1},\"tokens_fast\":{n_fast},\"tokens_reference\":{n_ref}}}",
        all.len()
    );
    Ok(())
}
