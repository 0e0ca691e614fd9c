//! Whole-binary runs with pretrained word vectors (`--vectors`): the table travels in the
//! model, carries what was learnt to words no training row held, and bad files or options
//! end in one line.

mod common;

use common::{assert_success, fails, Dir};
use serde_json::Value;

/// Six rows per side. Favor rows use `alpha`/`beta`, against rows `omega`/`psi`; the vectors
/// put `alef` beside alpha and `zeta` beside omega, words no row holds.
fn write_data(dir: &Dir) {
    let mut csv = String::from("text,stance\n");
    for i in 0..6 {
        csv += &format!("alpha beta filler{i},favor\n");
        csv += &format!("omega psi filler{i},against\n");
    }
    dir.write("data.csv", csv);
    dir.write(
        "v.txt",
        "alpha 1 0 0\nbeta 0.9 0.1 0\nalef 1 0.05 0\nomega 0 1 0\npsi 0.1 0.9 0\nzeta 0.05 1 0\n",
    );
}

fn run(dir: &Dir, args: &[&str]) -> std::process::Output {
    dir.stance().args(args).output().unwrap()
}

fn labels(dir: &Dir, model: &str) -> Vec<String> {
    dir.write("new.csv", "text\nalef\nzeta\n");
    let out = run(
        dir,
        &[
            "predict", "--model", model, "--data", "new.csv", "--format", "jsonl",
        ],
    );
    assert_success(&out);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["stance"]["label"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn vectors_carry_labels_to_unseen_words_without_the_vectors_file() {
    let dir = Dir::new();
    write_data(&dir);
    let train = |out: &str, extra: &[&str]| {
        let mut args = vec!["train", "--data", "data.csv", "--out", out, "-C", "10"];
        args.extend_from_slice(extra);
        assert_success(&run(&dir, &args));
    };
    train("plain.model", &[]);
    train("v.model", &["--vectors", "v.txt", "--vector-weight", "3"]);
    train(
        "again.model",
        &["--vectors", "v.txt", "--vector-weight", "3"],
    );
    assert_eq!(
        std::fs::read(dir.path("v.model")).unwrap(),
        std::fs::read(dir.path("again.model")).unwrap(),
        "same data and options must give the same file"
    );
    let file: Value = serde_json::from_slice(&std::fs::read(dir.path("v.model")).unwrap()).unwrap();
    assert_eq!(file["vectors"]["dim"], 3);
    assert_eq!(file["vectors"]["words"].as_array().unwrap().len(), 6);
    let options = &file["metadata"]["options"]["tfidf"]["vectors"];
    assert_eq!(
        (options["weight"].as_f64(), options["dim"].as_u64()),
        (Some(3.0), Some(3))
    );

    // The model predicts without the vectors file, and the vectors decide words no row held.
    std::fs::remove_file(dir.path("v.txt")).unwrap();
    assert_eq!(labels(&dir, "v.model"), ["favor", "against"]);
    // TF-IDF alone knows neither word: both rows get the same answer.
    let plain = labels(&dir, "plain.model");
    assert_eq!(plain[0], plain[1]);

    // An explanation names the block's pull as one entry.
    dir.write("a.txt", "alef alpha\n");
    let out = run(
        &dir,
        &[
            "predict",
            "--model",
            "v.model",
            "--explain",
            "3",
            "--format",
            "json",
            "a.txt",
        ],
    );
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(word vectors)"), "{text}");
    assert!(!text.contains("vector["), "{text}");

    // Regression: an edited, negative scale gave NaN probabilities with a label.
    let mut edited = file.clone();
    edited["vectors"]["scales"][0] = serde_json::json!(-1e30);
    dir.write("edited.model", serde_json::to_vec(&edited).unwrap());
    fails(
        &dir,
        &["predict", "--model", "edited.model", "a.txt"],
        "word vectors: a scale of -1000000000000000000000000000000; scales are finite and not negative",
    );
}

/// A model trained with vectors serves as the vectors file of the next training: the same
/// table, so the same model byte for byte, also when only its first words are taken, and
/// without the file the vectors came from.
#[test]
fn a_model_lends_its_vectors_to_the_next_training() {
    let dir = Dir::new();
    write_data(&dir);
    let train = |out: &str, vectors: &str, words: &str| {
        let args = [
            "train",
            "--data",
            "data.csv",
            "--out",
            out,
            "-C",
            "10",
            "--vectors",
            vectors,
            "--vector-weight",
            "3",
            "--vector-words",
            words,
        ];
        assert_success(&run(&dir, &args));
        std::fs::read(dir.path(out)).unwrap()
    };
    let all = train("all.model", "v.txt", "100");
    let four = train("four.model", "v.txt", "4");
    assert_ne!(all, four, "four words must make another table");
    std::fs::remove_file(dir.path("v.txt")).unwrap();
    assert_eq!(train("again.model", "all.model", "100"), all);
    assert_eq!(train("again4.model", "all.model", "4"), four);
    // Asking for more words than the model holds takes what it has, as with a short file.
    assert_eq!(train("again6.model", "four.model", "6"), four);

    // A model without vectors has none to lend.
    assert_success(&run(
        &dir,
        &["train", "--data", "data.csv", "--out", "plain.model"],
    ));
    fails(
        &dir,
        &[
            "train",
            "--data",
            "data.csv",
            "--out",
            "m.model",
            "--vectors",
            "plain.model",
        ],
        "trained without --vectors",
    );
    assert!(!dir.path("m.model").exists(), "no model from a failed run");
}

#[test]
fn bad_vectors_files_and_options_end_in_one_line() {
    let dir = Dir::new();
    write_data(&dir);
    dir.write("ragged.txt", "alpha 1 0 0\nomega 1 0\n");
    let train = ["train", "--data", "data.csv", "--out", "m.model"];
    let with = |extra: &[&'static str]| [&train[..], extra].concat();
    fails(&dir, &with(&["--vectors", "ragged.txt"]), "ragged.txt:2");
    dir.write("words.txt", "alpha 1 x\n");
    fails(&dir, &with(&["--vectors", "words.txt"]), "`x`");
    fails(
        &dir,
        &with(&["--vectors", "missing.txt"]),
        "missing.txt: no such file or directory; check the path",
    );
    fails(
        &dir,
        &with(&["--vectors", "v.txt", "--vector-weight", "0"]),
        "--vector-weight",
    );
    // Regression: a huge weight overflowed the features, and train wrote (exit 0) a model
    // with `null` weights that no command could load.
    fails(
        &dir,
        &with(&["--vectors", "v.txt", "--vector-weight", "1e50"]),
        "--vector-weight: 100000000000000000000000000000000000000000000000000 would drown the TF-IDF part (length 1); use at most 1000",
    );
    fails(
        &dir,
        &with(&["--vectors", "v.txt", "--vector-words", "0"]),
        "--vector-words",
    );
    assert!(!dir.path("m.model").exists(), "no model from a failed run");
    fails(
        &dir,
        &[
            "tune",
            "--data",
            "data.csv",
            "--cv",
            "2",
            "--out",
            "t.model",
            "--vector-values",
            "on",
        ],
        "--vectors",
    );

    // A model whose table was lost is refused when loaded, not used without it.
    assert_success(&run(&dir, &with(&["--vectors", "v.txt"])));
    let mut file: Value =
        serde_json::from_slice(&std::fs::read(dir.path("m.model")).unwrap()).unwrap();
    file.as_object_mut().unwrap().remove("vectors");
    dir.write("lost.model", serde_json::to_vec(&file).unwrap());
    dir.write("a.txt", "alef\n");
    fails(
        &dir,
        &["predict", "--model", "lost.model", "a.txt"],
        "no vectors table",
    );
}

#[test]
fn tune_searches_with_and_without_vectors() {
    let dir = Dir::new();
    write_data(&dir);
    let out = run(
        &dir,
        &[
            "tune",
            "--data",
            "data.csv",
            "--cv",
            "2",
            "--out",
            "t.model",
            "--vectors",
            "v.txt",
            "--ngram-values",
            "1-1",
            "--char-ngram-values",
            "off",
            "--sublinear-values",
            "off",
            "--min-df-values",
            "1",
            "--c-values",
            "1",
            "--class-weights",
            "none",
        ],
    );
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("2 settings"), "{text}");
    assert!(
        text.contains("vectors on") && text.contains("vectors off"),
        "{text}"
    );
}

/// `suggest` leaves out near-duplicates by their TF-IDF cosine; the word-vector block must not
/// count there (regression: two rows with no word in common, whose mean vectors point the same
/// way, counted as duplicates through the block, and one of them was never suggested).
#[test]
fn suggest_judges_duplicates_by_words_not_vectors() {
    let dir = Dir::new();
    write_data(&dir);
    let train = [
        "train",
        "--data",
        "data.csv",
        "--out",
        "v.model",
        "--vectors",
        "v.txt",
        "--vector-weight",
        "3",
    ];
    assert_success(&dir.stance().args(train).output().unwrap());
    dir.write(
        "pool.csv",
        "id,text,stance\np1,alpha filler0,\np2,beta filler1,\n",
    );
    let out = dir
        .stance()
        .args([
            "suggest", "--model", "v.model", "--data", "pool.csv", "-n", "2",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("p1,") && s.contains("p2,"), "{s}");
}
