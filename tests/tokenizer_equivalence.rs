//! The fast tokenizer gives exactly the tokens (and the white-space-separated words) of the
//! `tokenizers` reference on every text we train or benchmark on: the training set, the seed
//! articles, and (where ../shared is beside the repository, as in CI) every benchmark and
//! corpus file.

mod common;

use std::path::{Path, PathBuf};

use stance::text::{reference, Tokenizer, Tokens};

fn csv_texts(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "text")
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().get(col).unwrap().to_string())
        .collect()
}

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            csv_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

fn check(texts: &[String]) -> usize {
    let mut tokens = 0;
    let mut fast = Tokens::default();
    for t in texts {
        Tokenizer.tokenize_into(t, &mut fast);
        assert_eq!(
            fast.iter().collect::<Vec<_>>(),
            reference::tokens(t),
            "text: {t:?}"
        );
        // The words character n-grams can be taken over (`--char-source words`).
        assert_eq!(
            fast.words().collect::<Vec<_>>(),
            reference::words(t),
            "text: {t:?}"
        );
        tokens += fast.len();
    }
    tokens
}

#[test]
fn training_data_and_articles() {
    let mut texts = csv_texts(&common::repo().join("training-data/paragraphs.csv"));
    assert!(texts.len() >= 770);
    for a in common::seed_articles() {
        texts.push(std::fs::read_to_string(a).unwrap());
    }
    assert!(check(&texts) > 20_000);
}

#[test]
fn shared_benchmarks_and_corpora() {
    let shared = common::repo().join("../shared");
    if !shared.is_dir() {
        // Outside this workplace the shared data is not beside the repository.
        eprintln!("skipped: {} is not there", shared.display());
        return;
    }
    let mut files = Vec::new();
    csv_files(&shared.join("benchmarks"), &mut files);
    csv_files(&shared.join("corpora"), &mut files);
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    let mut total = 0;
    for f in &files {
        total += check(&csv_texts(f));
    }
    assert!(total > 500_000, "{total} tokens");
}
