//! The real training set still teaches the model (a floor under cross-validated stance
//! macro-F1), and the shipped model labels every classifiable paragraph of the seed articles.

mod common;

use common::{assert_success, repo, seed_articles, Dir};
use serde_json::Value;

/// Measured 0.7413 with exactly this command (the shipped stance options, `stance train --cv 5`,
/// seed 42; scikit-learn gets the same figure on the same folds, see the README). The result is
/// deterministic; the floor leaves room for numerical changes that move a few borderline
/// paragraphs (one paragraph is worth about 0.005) but not for a change that breaks learning:
/// always predicting `neutral` scores 0.28, words-only features about 0.71.
const STANCE_MACRO_F1_FLOOR: f64 = 0.72;

#[test]
fn cross_validated_stance_macro_f1_stays_above_floor() {
    let dir = Dir::new();
    let data = repo().join("training-data/paragraphs.csv");
    let out = dir
        .stance()
        .args([
            "train", "--label", "stance", "--cv", "5", "--out", "m.model",
        ])
        .args([
            "--ngrams",
            "1-3",
            "--char-ngrams",
            "2-5",
            "--min-df",
            "2",
            "--sublinear-tf",
        ])
        .args(["-C", "10", "--class-weight", "balanced", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_success(&out);
    let model: Value =
        serde_json::from_slice(&std::fs::read(dir.path("m.model")).unwrap()).unwrap();
    let cv = &model["metadata"]["tasks"]["stance"]["cv"];
    assert_eq!(cv["n"], 827);
    let f1 = cv["macro_f1"].as_f64().unwrap();
    assert!(
        f1 >= STANCE_MACRO_F1_FLOOR,
        "cross-validated stance macro-F1 {f1:.4} < {STANCE_MACRO_F1_FLOOR}"
    );
}

#[test]
fn shipped_model_labels_every_seed_paragraph() {
    let dir = Dir::new();
    let model = repo().join("models/stance.model");
    let out = dir
        .stance()
        .args(["predict", "--format", "json", "--model"])
        .arg(&model)
        .args(seed_articles())
        .output()
        .unwrap();
    assert_success(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let articles = v["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 5);
    let mut total = 0;
    for (a, path) in articles.iter().zip(seed_articles()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = stance::paragraphs::paragraphs(&text);
        let paragraphs = a["paragraphs"].as_array().unwrap();
        assert_eq!(paragraphs.len(), expected.len(), "{}", path.display());
        for (p, want) in paragraphs.iter().zip(&expected) {
            assert_eq!(p["text"].as_str().unwrap(), want);
            for task in ["stance", "sentiment"] {
                assert!(p[task]["label"].is_string(), "{task} missing in {p}");
            }
        }
        total += paragraphs.len();
    }
    // The training set holds exactly these paragraphs.
    assert_eq!(total, 50);
}
