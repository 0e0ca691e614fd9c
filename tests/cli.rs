//! Whole-binary runs of `stance train`, `predict`, `evaluate` and `suggest`, including every
//! kind of bad input: each must end with one line on standard error, exit status 2, nothing
//! on standard output and no partial output file.

mod common;

use common::{assert_success, fails, seed_articles, small_csv, Dir};
use predicates::prelude::*;
use serde_json::Value;
use stance::modelfile::VERSION;

fn trained(dir: &Dir) -> std::path::PathBuf {
    dir.write("data.csv", small_csv());
    dir.stance()
        .args([
            "train", "--data", "data.csv", "--out", "m.model", "-C", "10",
        ])
        .assert()
        .success();
    dir.path("m.model")
}

/// Runs `args`, which must succeed, and returns standard output.
fn succeeds(dir: &Dir, args: &[&str]) -> Vec<u8> {
    let out = dir.stance().args(args).output().unwrap();
    assert_success(&out);
    out.stdout
}

/// A JSON file of `dir` (a model file), parsed.
fn json_file(dir: &Dir, name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.path(name)).unwrap()).unwrap()
}

/// Standard output of a `--format jsonl` run, one parsed value per line.
fn jsonl_rows(stdout: Vec<u8>) -> Vec<Value> {
    String::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Asserts that two JSON values are equal and present: indexing a missing key gives
/// `Null`, and two missing values would otherwise compare equal.
#[track_caller]
fn same_json(a: &Value, b: &Value, what: &str) {
    assert!(!a.is_null() && !b.is_null(), "{what}: missing ({a} / {b})");
    assert_eq!(a, b, "{what}");
}

#[test]
fn train_evaluate_predict_round_trip() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    dir.stance()
        .args([
            "train", "--data", "data.csv", "--out", "m.model", "--cv", "3", "-C", "10",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("3-fold cross-validation"))
        .stdout(predicate::str::contains("stance: n=45"))
        .stdout(predicate::str::contains("macro_f1="))
        .stderr(predicate::str::contains("wrote m.model"));

    let out = dir
        .stance()
        .args([
            "evaluate", "--model", "m.model", "--data", "data.csv", "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stance = &v["tasks"]["stance"];
    assert_eq!(stance["n"], 45);
    assert!(stance["accuracy"].as_f64().unwrap() > 0.9);
    for key in ["macro_f1", "macro_recall", "f_avg"] {
        assert!(stance[key].is_number(), "{key}");
    }
    assert_eq!(
        stance["confusion"]["labels"],
        serde_json::json!(["against", "favor", "neutral"])
    );
    assert_eq!(stance["per_class"]["favor"]["support"], 15);
    assert!(v["tasks"]["sentiment"]["f_avg"].is_null());
    // The training file is named as such on stderr; another file (the same rows, one
    // byte more) is not.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("data.csv is the file m.model was trained on: these are training-set scores"),
        "{stderr}"
    );
    dir.write("held-out.csv", format!("{}\n", small_csv()));
    let out = dir
        .stance()
        .args(["evaluate", "--model", "m.model", "--data", "held-out.csv"])
        .output()
        .unwrap();
    assert_success(&out);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let text = dir.write("a.txt", "We must send troops to crush the cartels now.\n\nMexico rejects any foreign troops on its soil.\n");
    let out = dir
        .stance()
        .args(["predict", "--model", "m.model", "--format", "json"])
        .arg(&text)
        .output()
        .unwrap();
    assert_success(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let art = &v["articles"][0];
    assert_eq!(art["paragraphs"][0]["stance"]["label"], "favor");
    assert_eq!(art["paragraphs"][1]["stance"]["label"], "against");
    let p: f64 = art["paragraphs"][0]["stance"]["probabilities"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!((p - 1.0).abs() < 1e-9);
    assert_eq!(art["summary"]["paragraphs"], 2);
    assert_eq!(art["summary"]["tasks"]["stance"]["counts"]["favor"], 1);
}

#[test]
fn predict_seed_articles_labels_every_paragraph() {
    let dir = Dir::new();
    let model = trained(&dir);
    // The hand-labelled training data holds every paragraph of the seed articles, so it
    // counts them independently of the splitter.
    let mut labelled = std::collections::BTreeMap::<String, usize>::new();
    let mut reader =
        csv::Reader::from_path(common::repo().join("training-data/paragraphs.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if &row[1] == "seed" {
            *labelled.entry(row[2].to_string()).or_default() += 1;
        }
    }
    assert_eq!(labelled.len(), 5, "{labelled:?}");
    for article in seed_articles() {
        let text = std::fs::read_to_string(&article).unwrap();
        let expected = stance::paragraphs::paragraphs(&text).len();
        let name = article.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(Some(&expected), labelled.get(&name), "{name}");
        let out = dir
            .stance()
            .args(["predict", "--format", "jsonl", "--model"])
            .arg(&model)
            .arg(&article)
            .output()
            .unwrap();
        assert!(out.status.success());
        let lines = jsonl_rows(out.stdout);
        assert_eq!(lines.len(), expected, "{}", article.display());
        for (i, l) in lines.iter().enumerate() {
            assert_eq!(l["paragraph"], i + 1);
            assert!(l["stance"]["label"].is_string());
            assert!(l["sentiment"]["label"].is_string());
            assert!(l["article"].as_str().unwrap().ends_with(".txt"));
        }
    }
}

#[test]
fn predict_reads_directories_stdin_and_data_rows() {
    let dir = Dir::new();
    trained(&dir);
    dir.write("in/a.txt", "Send the troops now.\n");
    dir.write("in/sub/b.md", "Mexico rejects foreign troops.\n");
    dir.write("in/ignored.csv", "x\n");
    let out = dir
        .stance()
        .args(["predict", "--model", "m.model", "--format", "jsonl", "in"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert_eq!(s.lines().count(), 2, "{s}");
    assert!(s.contains("a.txt") && s.contains("b.md"));

    dir.stance()
        .args(["predict", "--model", "m.model", "--format", "csv", "-"])
        .write_stdin("Foreign soldiers are not welcome.\n")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "article,paragraph,text,stance,stance_p_against,stance_p_favor,stance_p_neutral,sentiment,",
        ));

    dir.write(
        "rows.csv",
        "id,text\nx1,We must send troops\nx2,The meeting took place\n",
    );
    let out = dir
        .stance()
        .args([
            "predict",
            "--model",
            "m.model",
            "--data",
            "rows.csv",
            "--format",
            "jsonl",
            "--explain",
            "2",
        ])
        .output()
        .unwrap();
    let rows = jsonl_rows(out.stdout);
    assert_eq!(rows[0]["id"], "x1");
    assert_eq!(rows[1]["paragraph"], 2);
    let ex = rows[0]["stance"]["explanation"].as_array().unwrap();
    assert!(!ex.is_empty() && ex.len() <= 2);
}

/// Web pages are read for their article's paragraphs: from a directory by extension, from
/// standard input by their opening, never with their tags, scripts or menus.
#[test]
fn predict_reads_web_pages() {
    let dir = Dir::new();
    trained(&dir);
    let page = "<!DOCTYPE html><html><head><title>Troops</title>\
                <script>var menu = '<p>Send the troops now.</p>';</script></head><body>\
                <nav><a href='/'>Home</a></nav><article><h1>Troops at the Border</h1>\
                <p>Send the troops\n  now &amp; end it.</p>\
                <p>Mexico rejects\n foreign troops.</p></article>\
                <footer>&copy; 2025</footer></body></html>";
    dir.write("in/page.html", page);
    dir.write("in/old.HTM", page);
    let out = succeeds(
        &dir,
        &["predict", "--model", "m.model", "--format", "jsonl", "in"],
    );
    let rows = jsonl_rows(out);
    let texts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["article"].as_str().unwrap(), r["text"].as_str().unwrap()))
        .collect();
    let (old, new) = ("in/old.HTM", "in/page.html");
    assert_eq!(
        texts,
        [
            (old, "Send the troops now & end it."),
            (old, "Mexico rejects foreign troops."),
            (new, "Send the troops now & end it."),
            (new, "Mexico rejects foreign troops."),
        ]
    );
    let out = dir
        .stance()
        .args(["predict", "--model", "m.model", "--format", "csv", "-"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert_success(&out);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains('<') && !csv.contains("Home"), "{csv}");
}

/// Text saved as "Unicode" on Windows (UTF-16 with a byte-order mark), articles and pages
/// alike, is read (it failed as invalid UTF-8).
#[test]
fn predict_reads_utf16_articles_and_pages() {
    let dir = Dir::new();
    trained(&dir);
    let utf16 = |text: &str, little: bool| {
        let mut bytes = if little {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    };
    dir.write("in/a.txt", utf16("Send the troops now, señor.\n", true));
    dir.write(
        "in/b.txt",
        // The mark decides, not the page's declaration.
        utf16(
            "<!DOCTYPE html><html><head><meta charset=windows-1252></head>\
             <body><p>México rejects foreign troops.</p></body></html>",
            false,
        ),
    );
    let out = succeeds(
        &dir,
        &["predict", "--model", "m.model", "--format", "jsonl", "in"],
    );
    let rows = jsonl_rows(out);
    let texts: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "Send the troops now, señor.",
            "México rejects foreign troops."
        ]
    );
}

/// A saved web archive (MHTML) is refused with a message that says how to save the page
/// instead (it was read as text: MIME headers and quoted-printable markup were classified).
#[test]
fn predict_refuses_web_archives() {
    let dir = Dir::new();
    trained(&dir);
    dir.write(
        "page.mhtml",
        "From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: multipart/related;\n\
         \ttype=\"text/html\"\n\n<p>The Senate voted=\n to approve it.</p>\n",
    );
    fails(
        &dir,
        &["predict", "--model", "m.model", "page.mhtml"],
        "page.mhtml: a web archive (MHTML), which stance cannot read; save the page as \"Webpage, HTML only\" (.html), or its text as .txt",
    );
}

/// An article with nothing to label says so on stderr (and why), instead of an empty result
/// that reads like a verdict; its summary still goes to stdout.
#[test]
fn predict_notes_articles_without_paragraphs() {
    let dir = Dir::new();
    trained(&dir);
    dir.write("in/a_heading.txt", "# Troops at the Border\n");
    dir.write("in/b_empty.txt", "");
    dir.write(
        "in/c_app.html",
        "<!DOCTYPE html><html><body><div id='root'></div><script>render()</script></body></html>",
    );
    dir.write("in/d_story.txt", "Send the troops now.\n");
    let out = dir
        .stance()
        .args(["predict", "--model", "m.model", "--format", "json", "in"])
        .output()
        .unwrap();
    assert_success(&out);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["articles"].as_array().unwrap().len(), 4);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let notes: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        notes,
        [
            "stance: note: in/a_heading.txt: no paragraphs to label (its 1 block(s) are headings or page furniture)",
            "stance: note: in/b_empty.txt: no paragraphs to label (it has no text)",
            "stance: note: in/c_app.html: no paragraphs to label (no article text was found in it); \
             a page whose article is loaded by scripts has none in its HTML: copy the text from a \
             browser into a .txt file",
        ]
    );
    // The same page on standard input is known for a page by its opening, not a name.
    let page = std::fs::read_to_string(dir.path("in/c_app.html")).unwrap();
    let out = dir
        .stance()
        .args(["predict", "--model", "m.model", "--format", "json", "-"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        "stance: note: -: no paragraphs to label (no article text was found in it); a page \
         whose article is loaded by scripts has none in its HTML: copy the text from a browser \
         into a .txt file"
    );
}

#[test]
fn predict_notes_a_data_file_given_as_an_article() {
    let dir = Dir::new();
    trained(&dir);
    dir.write("rows.csv", "id,text\nx1,We must send troops\n");
    dir.write("a.txt", "Send the troops now.\n");
    // The file is still read as an article (the user may mean it), with a note on stderr.
    dir.stance()
        .args(["predict", "--model", "m.model", "--format", "jsonl", "rows.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"article\":\"rows.csv\""))
        .stderr(predicate::str::contains(
            "rows.csv is read as an article (its text split into paragraphs); to label its rows, use --data rows.csv",
        ));
    dir.stance()
        .args([
            "predict", "--model", "m.model", "--format", "jsonl", "a.txt",
        ])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn evaluate_gives_bootstrap_intervals() {
    let dir = Dir::new();
    trained(&dir);
    dir.write("held-out.csv", format!("{}\n", small_csv()));
    let json = |extra: &[&str]| -> Value {
        let out = dir
            .stance()
            .args(["evaluate", "--model", "m.model", "--data", "held-out.csv"])
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert_success(&out);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = json(&[]);
    for (task, keys) in [
        (
            "stance",
            &["accuracy", "macro_f1", "macro_recall", "f_avg"][..],
        ),
        ("sentiment", &["accuracy", "macro_f1", "macro_recall"][..]),
    ] {
        let r = &v["tasks"][task];
        let iv = &r["interval"];
        assert_eq!(iv["level"], 0.95);
        assert_eq!(iv["resamples"], 1000);
        assert_eq!(iv["seed"], 42);
        for key in keys {
            let (low, high) = (iv[key]["low"].as_f64(), iv[key]["high"].as_f64());
            let x = r[key].as_f64().unwrap();
            assert!(
                low.unwrap() <= x && x <= high.unwrap(),
                "{task} {key}: {iv}"
            );
        }
        assert_eq!(iv.get("f_avg").is_some(), task == "stance", "{iv}");
    }
    // Seeded: the same again, another seed another draw; 0 turns them off.
    assert_eq!(json(&[]), v);
    assert_ne!(
        json(&["--seed", "7"])["tasks"]["stance"]["interval"],
        v["tasks"]["stance"]["interval"]
    );
    assert!(json(&["--bootstrap", "0"])["tasks"]["stance"]
        .get("interval")
        .is_none());

    dir.stance()
        .args(["evaluate", "--model", "m.model", "--data", "held-out.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  95% interval (1000 bootstrap resamples): accuracy ",
        ));
    fails(
        &dir,
        &[
            "evaluate", "--model", "m.model", "--data", "held-out.csv", "--bootstrap", "20",
        ],
        "invalid value for --bootstrap: 20 resamples give unsteady intervals; use at least 100, or 0 for none",
    );
}

/// `evaluate --compare B`: both models' figures on the same rows, B − A with a paired
/// interval; a grouped model against a pooled one per group; bad combinations refused.
#[test]
fn evaluate_compares_two_models_on_the_same_rows() {
    let dir = Dir::new();
    trained(&dir);
    dir.write("grouped.csv", grouped_csv());
    let train = |args: &str| {
        succeeds(&dir, &args.split_whitespace().collect::<Vec<_>>());
    };
    // A model taught the wrong stance on every third row predicts differently from m.model.
    let noisy: Vec<String> = small_csv()
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut fields: Vec<&str> = line.rsplitn(3, ',').collect();
            if i > 0 && i % 3 == 0 {
                fields[1] = match fields[1] {
                    "favor" => "against",
                    "against" => "neutral",
                    _ => "favor",
                };
            }
            fields.reverse();
            fields.join(",")
        })
        .collect();
    dir.write("noisy.csv", noisy.join("\n") + "\n");
    train("train --data noisy.csv --out weak.model -C 10");
    train("train --data grouped.csv --out grouped.model -C 10 --group-by target");
    train("train --data data.csv --out stance-only.model -C 10 --label stance");
    let json = |args: &str| -> Value {
        let mut args: Vec<&str> = args.split_whitespace().collect();
        args.extend(["--format", "json"]);
        serde_json::from_slice(&succeeds(&dir, &args)).unwrap()
    };

    // A model against itself: no difference in any draw.
    let same = json("evaluate --model m.model --compare m.model --data data.csv");
    assert_eq!(same["compare"]["model"], "m.model");
    for task in ["stance", "sentiment"] {
        for figure in ["accuracy", "macro_f1", "macro_recall"] {
            let d = &same["compare"]["tasks"][task][figure];
            for key in ["difference", "low", "high", "b_ahead"] {
                assert_eq!(d[key], 0.0, "{task} {figure}: {d}");
            }
        }
    }

    // Each side's figures are what `evaluate` gives that model alone.
    let v = json("evaluate --model m.model --compare weak.model --data data.csv");
    let weak = json("evaluate --model weak.model --data data.csv");
    same_json(
        &v["compare"]["tasks"]["stance"]["n"],
        &v["tasks"]["stance"]["n"],
        "n",
    );
    for figure in ["accuracy", "macro_f1", "macro_recall", "f_avg"] {
        let d = &v["compare"]["tasks"]["stance"][figure];
        let (a, b) = (d["a"].as_f64().unwrap(), d["b"].as_f64().unwrap());
        assert_eq!(
            a,
            v["tasks"]["stance"][figure].as_f64().unwrap(),
            "{figure}"
        );
        assert_eq!(
            b,
            weak["tasks"]["stance"][figure].as_f64().unwrap(),
            "{figure}"
        );
        let diff = d["difference"].as_f64().unwrap();
        assert!((diff - (b - a)).abs() < 1e-12, "{figure}: {d}");
        assert!(d["low"].as_f64().unwrap() <= diff && diff <= d["high"].as_f64().unwrap());
    }
    assert!(v["compare"].get("groups").is_none());
    // (So the checks above compared two different figures; the interval is not a point.)
    let d = &v["compare"]["tasks"]["stance"]["accuracy"];
    assert!(d["difference"].as_f64().unwrap() < 0.0, "{d}");
    assert!(
        d["low"].as_f64().unwrap() < d["high"].as_f64().unwrap(),
        "{d}"
    );

    // A pooled model against a grouped one: rows routed by the grouped model's column, and
    // per group B's figures are the grouped model's own.
    let v = json("evaluate --model m.model --compare grouped.model --data grouped.csv");
    let grouped = json("evaluate --model grouped.model --data grouped.csv");
    let groups = v["compare"]["groups"].as_object().unwrap();
    assert_eq!(
        groups.keys().map(String::as_str).collect::<Vec<_>>(),
        ["alpha", "beta", "gamma"]
    );
    for (g, d) in groups {
        same_json(
            &d["tasks"]["stance"]["macro_f1"]["b"],
            &grouped["groups"][g]["tasks"]["stance"]["macro_f1"],
            g,
        );
    }

    dir.stance()
        .args(["evaluate", "--model", "m.model", "--compare", "weak.model"])
        .args(["--data", "data.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "compared with weak.model (B) on the same rows; A is m.model",
        ))
        .stdout(predicate::str::contains("  f_avg        "))
        .stdout(predicate::str::contains(
            "(95% interval of B − A over 1000 paired resamples)",
        ));

    // The training-set note names whichever model was trained on the file scored.
    let out = dir
        .stance()
        .args(["evaluate", "--model", "m.model", "--compare", "weak.model"])
        .args(["--data", "noisy.csv"])
        .output()
        .unwrap();
    assert_success(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("noisy.csv is the file weak.model was trained on")
            && !stderr.contains("m.model was trained on"),
        "{stderr}"
    );

    let base = ["evaluate", "--model", "m.model", "--data", "data.csv"];
    let with = |extra: &[&'static str]| [&base[..], extra].concat();
    fails(
        &dir,
        &with(&["--compare", "weak.model", "--format", "html"]),
        "invalid value for --compare: the comparison has table and json output; use --format table or json",
    );
    fails(
        &dir,
        &with(&["--compare", "weak.model", "--bootstrap", "0"]),
        "give --bootstrap N of at least 100, not 0",
    );
    fails(
        &dir,
        &with(&["--compare", "stance-only.model"]),
        "the second model has no task `sentiment` (it has: stance)",
    );
    fails(
        &dir,
        &with(&["--compare", "missing.model"]),
        "missing.model",
    );
    let topic = grouped_csv().replacen(",target", ",topic", 1);
    dir.write("topic.csv", topic);
    train("train --data topic.csv --out topic.model -C 10 --group-by topic");
    fails(
        &dir,
        &[
            "evaluate",
            "--model",
            "grouped.model",
            "--compare",
            "topic.model",
            "--data",
            "grouped.csv",
        ],
        "the models are grouped by different columns (`target` and `topic`)",
    );
}

#[test]
fn training_is_deterministic_and_atomic() {
    let dir = Dir::new();
    let model = trained(&dir);
    let first = std::fs::read(&model).unwrap();
    dir.stance()
        .args([
            "train", "--data", "data.csv", "--out", "m2.model", "-C", "10",
        ])
        .assert()
        .success();
    assert_eq!(first, std::fs::read(dir.path("m2.model")).unwrap());
    let header = format!("{{\"format\":\"stance-model\",\"version\":{VERSION},");
    assert!(first.starts_with(header.as_bytes()));

    // A failed train leaves the existing model untouched and no temporary file behind.
    dir.write("bad.csv", "text,stance\nonly,favor\n");
    fails(
        &dir,
        &["train", "--data", "bad.csv", "--out", "m.model"],
        "only one class",
    );
    assert_eq!(first, std::fs::read(&model).unwrap());
    // An output path that is a folder is refused before training, with the folder left
    // as it was.
    std::fs::create_dir(dir.path("taken")).unwrap();
    dir.write("taken/keep.txt", "mine");
    fails(
        &dir,
        &["train", "--data", "data.csv", "--out", "taken", "-C", "10"],
        "taken: is a folder; give the path of a file to write",
    );
    assert_eq!(std::fs::read(dir.path("taken/keep.txt")).unwrap(), b"mine");
    assert_eq!(std::fs::read_dir(dir.path("taken")).unwrap().count(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// An output path that cannot be written is refused before the data is read or anything is
/// fitted (it used to be found only when the model was ready, after a search of minutes):
/// here the data file does not exist either, and the output is what the message names.
#[test]
fn unwritable_outputs_are_refused_before_any_work() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path("folder")).unwrap();
    for cmd in ["train", "tune"] {
        fails(
            &dir,
            &[cmd, "--data", "missing.csv", "--out", "nowhere/m.model"],
            "nowhere/m.model: its folder does not exist",
        );
        fails(
            &dir,
            &[cmd, "--data", "missing.csv", "--out", "folder"],
            "folder: is a folder; give the path of a file to write",
        );
    }
    fails(
        &dir,
        &[
            "suggest",
            "--model",
            "missing.model",
            "--data",
            "missing.csv",
            "--out",
            "folder",
        ],
        "folder: is a folder",
    );
}

#[test]
fn bad_data_files() {
    let dir = Dir::new();
    trained(&dir);
    // (file, its content or None for no such file, what the message must say)
    let files: [(&str, Option<&[u8]>, &str); 8] = [
        (
            "missing.csv",
            None,
            "missing.csv: no such file or directory; check the path",
        ),
        (
            "empty.csv",
            Some(b""),
            "empty.csv: the file is empty; give a header row",
        ),
        // A header without rows is not an empty file: say what is there and what is missing.
        (
            "headeronly.csv",
            Some(b"text,stance\n"),
            "headeronly.csv: the header (`text,stance`) has no rows below it",
        ),
        (
            "empty.jsonl",
            Some(b"\n"),
            "empty.jsonl: the file is empty; give at least one JSON object per line",
        ),
        (
            "notext.csv",
            Some(b"body,stance\nx,favor\n"),
            "--text-column",
        ),
        ("nolabel.csv", Some(b"text,other\nx,y\n"), "--label"),
        (
            "emptytext.csv",
            Some(b"text,stance\nx,favor\n  ,against\n"),
            "emptytext.csv:3: column `text` is empty",
        ),
        (
            "utf8.csv",
            Some(b"text,stance\nx,favor\n\xff\xfe,against\n"),
            "utf8.csv:3: invalid UTF-8",
        ),
    ];
    for (file, content, expect) in files {
        if let Some(content) = content {
            dir.write(file, content);
        }
        fails(&dir, &["train", "--data", file, "--out", "o.model"], expect);
    }
    // Options that the data cannot meet, or that are out of range, on good data.
    let options: [(&[&str], &str); 5] = [
        (&["--label", "nope"], "no column `nope`"),
        (&["--min-df", "1000"], "lower --min-df"),
        (&["-C", "0"], "-C: 0 must be a positive number"),
        // A negative C reaches the check that says what to change (regression: clap took
        // `-1` for a flag and answered "unexpected argument '-1'").
        (&["-C", "-1"], "-C: -1 must be a positive number"),
        (
            &["--c-path", "1,-3"],
            "--c-path: -3 must be a positive number",
        ),
    ];
    for (extra, expect) in options {
        let mut args = vec!["train", "--data", "data.csv", "--out", "o.model"];
        args.extend_from_slice(extra);
        fails(&dir, &args, expect);
    }
    assert!(!dir.path("o.model").exists());
}

#[test]
fn evaluate_rejects_unknown_labels() {
    let dir = Dir::new();
    trained(&dir);
    dir.write(
        "eval.csv",
        "text,stance\nsend troops,favor\nno troops,maybe\nx,maybe\n",
    );
    fails(
        &dir,
        &["evaluate", "--model", "m.model", "--data", "eval.csv"],
        "eval.csv:3: label `maybe` in column `stance` is not one the model knows (against, favor, neutral); fix the label or retrain with it (2 such row(s) in all)",
    );
}

/// The JSON Lines predictions of `model` for the directory's `data.csv`.
fn predict_jsonl(dir: &Dir, model: &str) -> Vec<u8> {
    let out = dir
        .stance()
        .args([
            "predict", "--model", model, "--data", "data.csv", "--format", "jsonl",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    out.stdout
}

/// Format version 1 files have no `norm_per_part` (nor `char_source`) field and were made with
/// the whole-row norm; they must still predict exactly as a whole-row model does, not with the
/// per-part norm.
#[test]
fn version_1_model_files_keep_the_whole_row_norm() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    for (out, norm) in [("whole.model", "row"), ("part.model", "parts")] {
        dir.stance()
            .args(["train", "--data", "data.csv", "--out", out])
            .args(["--char-ngrams", "2-4", "--norm", norm, "-C", "10"])
            .assert()
            .success();
    }
    let whole = String::from_utf8(std::fs::read(dir.path("whole.model")).unwrap()).unwrap();
    assert!(whole.contains("\"norm_per_part\":false"));
    let v1 = whole
        .replacen(&format!("\"version\":{VERSION},"), "\"version\":1,", 1)
        .replace(",\"char_source\":\"tokens\"", "")
        .replace(",\"norm_per_part\":false", "");
    assert!(!v1.contains("norm_per_part") && !v1.contains("char_source"));
    assert!(v1.starts_with("{\"format\":\"stance-model\",\"version\":1,"));
    dir.write("v1.model", v1);

    let predict = |model| predict_jsonl(&dir, model);
    assert_eq!(predict("v1.model"), predict("whole.model"));
    assert_ne!(predict("part.model"), predict("whole.model"));
}

/// Format version 2 files have no `char_source` field and took character n-grams inside
/// tokens; they must still predict exactly as a `--char-source tokens` model does.
#[test]
fn version_2_model_files_take_characters_inside_tokens() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    for (out, source) in [("tokens.model", "tokens"), ("words.model", "words")] {
        dir.stance()
            .args(["train", "--data", "data.csv", "--out", out])
            .args(["--char-ngrams", "2-4", "--char-source", source, "-C", "10"])
            .assert()
            .success();
    }
    let tokens = String::from_utf8(std::fs::read(dir.path("tokens.model")).unwrap()).unwrap();
    let words = String::from_utf8(std::fs::read(dir.path("words.model")).unwrap()).unwrap();
    assert!(tokens.contains("\"char_source\":\"tokens\""));
    assert!(words.contains("\"char_source\":\"words\""));
    // `strikes,` is one word but two tokens: only the words model has its n-gram `s,`.
    assert!(words.contains("\"c:s,\"") && !tokens.contains("\"c:s,\""));
    let v2 = tokens
        .replacen(&format!("\"version\":{VERSION},"), "\"version\":2,", 1)
        .replace(",\"char_source\":\"tokens\"", "");
    assert!(!v2.contains("char_source"));
    assert!(v2.starts_with("{\"format\":\"stance-model\",\"version\":2,"));
    dir.write("v2.model", v2);

    let predict = |model| predict_jsonl(&dir, model);
    assert_eq!(predict("v2.model"), predict("tokens.model"));
    assert_ne!(predict("words.model"), predict("tokens.model"));
}

#[test]
fn bad_model_files() {
    let dir = Dir::new();
    let model = trained(&dir);
    let bytes = std::fs::read(&model).unwrap();
    dir.write("a.txt", "Some text.\n");

    dir.write("trunc.model", &bytes[..bytes.len() / 2]);
    fails(
        &dir,
        &["predict", "--model", "trunc.model", "a.txt"],
        "truncated",
    );
    dir.write("foreign.model", "{\"hello\": 1}");
    fails(
        &dir,
        &["predict", "--model", "foreign.model", "a.txt"],
        "stance-model header",
    );
    // A version past u32 is newer too (regression: it was reported as unreadable).
    for (name, version) in [
        ("newer.model", "99"),
        ("far.model", "123456789012345678901234"),
    ] {
        let newer = String::from_utf8(bytes.clone()).unwrap().replacen(
            &format!("\"version\":{VERSION},"),
            &format!("\"version\":{version},"),
            1,
        );
        dir.write(name, newer);
        fails(
            &dir,
            &["predict", "--model", name, "a.txt"],
            &format!("version {version} is newer"),
        );
    }

    // Drop one vocabulary term (and its idf) so the vectorizer no longer matches the weights.
    let mut v: Value = serde_json::from_slice(&bytes).unwrap();
    let vect = &mut v["models"][0]["classifier"]["vectorizer"];
    vect["vocabulary"].as_array_mut().unwrap().pop();
    vect["idf"].as_array_mut().unwrap().pop();
    dir.write("mismatch.model", serde_json::to_vec(&v).unwrap());
    fails(
        &dir,
        &["predict", "--model", "mismatch.model", "a.txt"],
        "features",
    );
    fails(
        &dir,
        &[
            "evaluate",
            "--model",
            "mismatch.model",
            "--data",
            "data.csv",
        ],
        "features",
    );

    // Files that parse but say what no fit writes (regressions: a task without classes made
    // predict panic; a class or task named twice gave each output format other numbers).
    let edited = |name: &str, edit: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_slice(&bytes).unwrap();
        edit(&mut v);
        dir.write(name, serde_json::to_vec(&v).unwrap());
    };
    edited("noclass.model", &|v| {
        let model = &mut v["models"][0]["classifier"]["tasks"][0]["model"];
        let rows = model["weights"]["dim"][0].clone();
        model["classes"] = serde_json::json!([]);
        model["weights"] = serde_json::json!({"v": 1, "dim": [rows, 0], "data": []});
        model["intercept"] = serde_json::json!({"v": 1, "dim": [0], "data": []});
    });
    edited("twiceclass.model", &|v| {
        let classes = &mut v["models"][0]["classifier"]["tasks"][0]["model"]["classes"];
        classes[1] = classes[0].clone();
    });
    edited("twicetask.model", &|v| {
        let tasks = &mut v["models"][0]["classifier"]["tasks"];
        tasks[1]["name"] = tasks[0]["name"].clone();
    });
    for (file, says) in [
        ("noclass.model", "a task needs at least two classes"),
        ("twiceclass.model", "is named twice"),
        ("twicetask.model", "task `stance` is named twice"),
    ] {
        fails(
            &dir,
            &["predict", "--model", file, "a.txt"],
            &format!("{file}: not a usable stance model"),
        );
        fails(&dir, &["predict", "--model", file, "a.txt"], says);
    }
}

/// Regression: an article with no paragraphs (empty, or nothing but skipped blocks) was
/// summarised as `favor` by a model without a neutral class; it has no overall label.
#[test]
fn article_without_paragraphs_has_no_overall_label() {
    let dir = Dir::new();
    let rows: String = (0..6)
        .map(|i| {
            if i % 2 == 0 {
                format!("send troops now {i},favor\n")
            } else {
                format!("keep troops home {i},against\n")
            }
        })
        .collect();
    dir.write("two.csv", format!("text,stance\n{rows}"));
    succeeds(&dir, &["train", "--data", "two.csv", "--out", "two.model"]);
    dir.write("empty.txt", "");
    let out = succeeds(
        &dir,
        &[
            "predict",
            "--model",
            "two.model",
            "--format",
            "json",
            "empty.txt",
        ],
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    let summary = &v["articles"][0]["summary"];
    assert_eq!(summary["paragraphs"], 0);
    let stance = summary["tasks"]["stance"].as_object().unwrap();
    assert_eq!(stance.get("overall"), Some(&Value::Null), "{summary}");
    let table = succeeds(
        &dir,
        &[
            "predict",
            "--model",
            "two.model",
            "--format",
            "table",
            "empty.txt",
        ],
    );
    let table = String::from_utf8(table).unwrap();
    assert!(table.contains("stance: – (against 0, favor 0)"), "{table}");
    // Regression: CSV output of articles without paragraphs was empty, without a header.
    let csv_out = succeeds(
        &dir,
        &[
            "predict",
            "--model",
            "two.model",
            "--format",
            "csv",
            "empty.txt",
        ],
    );
    assert_eq!(
        String::from_utf8(csv_out).unwrap(),
        "article,paragraph,text,stance,stance_p_against,stance_p_favor\n"
    );
}

/// Regressions found by exploratory runs, on a grouped model whose groups know different
/// classes (A: against, favor; B: against, favor, none):
/// - CSV took its columns from the first row: a first row without an explanation left the
///   `_explain` column out, and a later row with one (or from the group with more classes)
///   had more fields than the header;
/// - JSON Lines left `explanation` out when it was empty, though it was asked for;
/// - evaluate checked every row's label against the first group's classes.
#[test]
fn groups_with_different_classes_and_explanations_keep_every_format_whole() {
    let dir = Dir::new();
    dir.write(
        "gc.csv",
        "target,text,stance\n\
         A,war is good,favor\nA,war is bad,against\nA,good war,favor\nA,bad war,against\n\
         B,strike now,favor\nB,no strikes,against\nB,rain today,none\nB,sun today,none\n",
    );
    let out = dir
        .stance()
        .args([
            "train",
            "--data",
            "gc.csv",
            "--out",
            "gc.model",
            "--group-by",
            "target",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    // Each group's own vocabulary (regression: the first group's alone was reported).
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains("(2 groups of 9-11 vocabulary terms;"),
        "{said}"
    );
    dir.write(
        "rows.csv",
        "id,target,text\n1,A,zzz\n2,B,strike now\n3,A,war is good\n",
    );
    let predict = |format: &str| {
        succeeds(
            &dir,
            &[
                "predict",
                "--model",
                "gc.model",
                "--data",
                "rows.csv",
                "--format",
                format,
                "--explain",
                "2",
            ],
        )
    };
    let csv_out = predict("csv");
    let mut reader = csv::Reader::from_reader(csv_out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "paragraph",
            "text",
            "stance",
            "stance_p_against",
            "stance_p_favor",
            "stance_p_none",
            "stance_explain"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    // Row 1 (A, no known word): no `none` probability, no explanation.
    assert_eq!((&rows[0][6], &rows[0][7]), ("", ""));
    // Row 2 (B) has all three probabilities; row 3 (A) explains itself with its words.
    assert!(rows[1][6].parse::<f64>().is_ok(), "{:?}", rows[1]);
    assert!(
        rows[2][7].contains("war") || rows[2][7].contains("good"),
        "{:?}",
        rows[2]
    );

    let jsonl = predict("jsonl");
    for line in String::from_utf8(jsonl).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["stance"]["explanation"].is_array(), "{line}");
    }

    dir.write(
        "eval_b.csv",
        "target,text,stance\nB,rain,none\nA,war good,favor\n",
    );
    let out = succeeds(
        &dir,
        &[
            "evaluate",
            "--model",
            "gc.model",
            "--data",
            "eval_b.csv",
            "--format",
            "json",
            "--bootstrap",
            "0",
        ],
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    same_json(&v["tasks"]["stance"]["n"], &Value::from(2), "n");
    // Messages name what to change in this command (regression: they asked for
    // --group-by and --group, which predict, evaluate and suggest do not take).
    dir.write("nogroup.csv", "id,text,stance\n1,war,favor\n");
    for cmd in ["predict", "evaluate"] {
        fails(
            &dir,
            &[cmd, "--model", "gc.model", "--data", "nogroup.csv"],
            "nogroup.csv: no column `target` (found: id, text, stance); the model has one classifier per value of this column; add the column",
        );
    }
    dir.write("mars.csv", "id,target,text\n1,A,war\n2,mars,war\n");
    fails(
        &dir,
        &["suggest", "--model", "gc.model", "--data", "mars.csv"],
        "mars.csv:3: group `mars`: the model has one classifier per `target`; give one of: A, B",
    );
    dir.write("eval_a.csv", "target,text,stance\nA,rain,none\n");
    fails(
        &dir,
        &["evaluate", "--model", "gc.model", "--data", "eval_a.csv"],
        "eval_a.csv:2: label `none` in column `stance` is not one the model knows (against, favor)",
    );
}

/// Regression: tune dropped validation rows of a group the training data lacks without a
/// word (with only such rows it chose on n = 0 and exited 0), and scored labels the training
/// data never has (and with --refit-all learnt them). Both are refused, naming the row.
#[test]
fn tune_refuses_validation_rows_the_training_data_cannot_score() {
    let dir = Dir::new();
    dir.write("train.csv", grouped_csv());
    let tune = |validation: &'static str| {
        vec![
            "tune",
            "--data",
            "train.csv",
            "--validation",
            validation,
            "--out",
            "t.model",
            "--group-by",
            "target",
            "--c-values",
            "1",
            "--ngram-values",
            "1-1",
            "--char-ngram-values",
            "off",
            "--sublinear-values",
            "off",
            "--min-df-values",
            "1",
            "--refit-all",
        ]
    };
    dir.write(
        "mars.csv",
        "text,stance,sentiment,target\nsend troops,favor,positive,alpha\nsend troops,favor,positive,mars\n",
    );
    fails(
        &dir,
        &tune("mars.csv"),
        "mars.csv:3: group `mars` in column `target` is not in the training data (alpha, beta, gamma); fix it or remove the row (1 such row(s) in all)",
    );
    dir.write(
        "maybe.csv",
        "text,stance,sentiment,target\nsend troops,maybe,positive,alpha\n",
    );
    fails(
        &dir,
        &tune("maybe.csv"),
        "maybe.csv:2: label `maybe` in column `stance` is not in the training data (against, favor, neutral)",
    );
    assert!(!dir.path("t.model").exists());
    dir.write(
        "fine.csv",
        "text,stance,sentiment,target\nsend troops,favor,positive,alpha\nstay home,against,negative,beta\n",
    );
    succeeds(&dir, &tune("fine.csv"));

    // A group with one class of a task is named as train names it (regression: tune said
    // "column `target` has only one class", the name of the fit's own array).
    dir.write(
        "one.csv",
        "text,stance,target\nsend troops,favor,A\nstay home,against,A\nx y,against,C\ny z,against,C\n",
    );
    dir.write(
        "fold.csv",
        "text,stance,target\nsend troops,favor,A\nstay home,against,A\nsend more,favor,A\n\
         stay put,against,A\nx y,against,C\ny z,against,C\nz w,favor,C\n",
    );
    for cmd in ["train", "tune"] {
        fails(
            &dir,
            &[cmd, "--data", "fold.csv", "--out", "o.model", "--group-by", "target", "--cv", "2"],
            "--cv 2 needs at least 2 rows of each class, but `stance` in group `C` has 1 of `favor`",
        );
    }
    let message = "column `stance` in group `C` has only one class (against)";
    fails(
        &dir,
        &[
            "train",
            "--data",
            "one.csv",
            "--out",
            "o.model",
            "--group-by",
            "target",
        ],
        message,
    );
    fails(
        &dir,
        &[
            "tune",
            "--data",
            "one.csv",
            "--out",
            "o.model",
            "--group-by",
            "target",
            "--cv",
            "2",
        ],
        message,
    );
}

/// Regressions: a negative number was taken for a flag ("unexpected argument '-0'"), and
/// tune blamed its lists' bad values on train's options (`-C`, `--ngrams`).
#[test]
fn bad_numbers_are_named_by_their_own_option() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    let train = ["train", "--data", "data.csv", "--out", "o.model"];
    let tune = [
        "tune", "--data", "data.csv", "--out", "o.model", "--cv", "2",
    ];
    let cases: [(&[&str], &[&str], &str); 6] = [
        (
            &train,
            &["--max-df", "-0.5"],
            "invalid value '-0.5' for '--max-df <N|F>'",
        ),
        (
            &train,
            &["--tol", "-1"],
            "--tol: -1 must be a positive number",
        ),
        (&train, &["--cv", "-2"], "invalid value '-2' for '--cv <K>'"),
        (
            &tune,
            &["--c-values", "0"],
            "--c-values: 0 must be a positive number",
        ),
        (
            &tune,
            &["--c-values", "-1"],
            "--c-values: -1 must be a positive number",
        ),
        (
            &tune,
            &["--ngram-values", "3-1"],
            "--ngram-values: range 3-1 must satisfy",
        ),
    ];
    for (cmd, extra, says) in cases {
        fails(&dir, &[cmd, extra].concat(), says);
    }
    assert!(!dir.path("o.model").exists());
}

#[test]
fn bad_articles() {
    let dir = Dir::new();
    trained(&dir);
    dir.write("bad.txt", b"fine line\nsecond\n\xff broken\n".as_slice());
    fails(
        &dir,
        &["predict", "--model", "m.model", "bad.txt"],
        "bad.txt:3: invalid UTF-8",
    );
    fails(
        &dir,
        &["predict", "--model", "m.model", "nowhere.txt"],
        "nowhere.txt: no such file or directory",
    );
    // Messages for predict's data rows (regressions: a header-only file asked for a
    // labelled row, which predict does not need; `-` was "no such file").
    dir.write("header.csv", "id,text\n");
    fails(
        &dir,
        &["predict", "--model", "m.model", "--data", "header.csv"],
        "header.csv: the header (`id,text`) has no rows below it; add at least one row",
    );
    fails(
        &dir,
        &["predict", "--model", "m.model", "--data", "-"],
        "--data: `-` (standard input) is read for articles, not data files",
    );
    fails(
        &dir,
        &[
            "predict", "--model", "m.model", "--group", "alpha", "bad.txt",
        ],
        "--group: the model has no groups, so `alpha` picks nothing; leave --group out",
    );
    fails(
        &dir,
        &["predict", "--model", "nowhere.model", "bad.txt"],
        "nowhere.model: no such file or directory; check the path",
    );

    // With --out, a failure leaves no file.
    fails(
        &dir,
        &[
            "predict", "--model", "m.model", "--out", "r.json", "bad.txt",
        ],
        "invalid UTF-8",
    );
    assert!(!dir.path("r.json").exists());
}

/// Runs stance with `args` in `dir`, its standard output a pipe that is closed after the first
/// line (`read_first_line`) or at once, before the binary can write anything; checks that it
/// ends with status 0 and neither an error nor a panic, and returns its standard error.
fn into_closed_pipe(dir: &Dir, args: &[&str], read_first_line: bool) -> String {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("stance"))
        .args(args)
        .current_dir(dir.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    if read_first_line {
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?}: no output");
    } else {
        drop(stdout);
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{args:?}: {stderr}"
    );
    stderr
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = Dir::new();
    let model = trained(&dir);
    let mut articles = String::new();
    for i in 0..400 {
        let p = dir.write(
            &format!("many/{i:03}.txt"),
            "We must send troops.\n\nNo foreign troops.\n".repeat(20),
        );
        articles.push_str(&format!(" {}", p.display()));
    }
    let bin = assert_cmd::cargo::cargo_bin("stance");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' predict --format jsonl --model '{}' many | head -n 1; echo \"status=${{PIPESTATUS[0]}}\"",
            bin.display(),
            model.display()
        ))
        .current_dir(dir.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "stderr: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    // stance's own exit status, not head's.
    assert_eq!(lines[1], "status=0", "{stdout}");
    // Also straight from the binary, in every format, from articles and from a CSV of rows:
    // read one line then close the pipe. (Regression: CSV output of rows wrapped the closed
    // pipe in an error of another kind and reported "Broken pipe" with status 2.)
    let mut rows = String::from("id,text\n");
    for i in 0..20_000 {
        rows.push_str(&format!("r{i},We must send troops to the border now.\n"));
    }
    dir.write("rows.csv", &rows);
    let model = model.to_str().unwrap();
    let inputs: [&[&str]; 2] = [&["many"], &["--data", "rows.csv"]];
    for format in ["jsonl", "json", "csv", "table", "html"] {
        for input in inputs {
            let mut args = vec!["predict", "--format", format, "--model", model];
            args.extend(input);
            let stderr = into_closed_pipe(&dir, &args, true);
            assert!(stderr.is_empty(), "{args:?}: {stderr}");
        }
    }
}

/// `evaluate` into a pipe whose reader is gone before anything is written ends quietly with
/// status 0 in every format. (Regression: its JSON went through serde_json's error, whose
/// chain hides the I/O error, and the closed pipe was reported with status 2.)
#[test]
fn evaluate_into_a_closed_pipe_ends_quietly() {
    let dir = Dir::new();
    let model = trained(&dir);
    let model = model.to_str().unwrap();
    // Not the training file, whose note on stderr is not what this test is about.
    dir.write("other.csv", format!("{}\n", small_csv()));
    for format in ["json", "table", "html"] {
        // The pipe closes before the binary has loaded the model.
        let args = [
            "evaluate",
            "--format",
            format,
            "--data",
            "other.csv",
            "--model",
            model,
        ];
        let stderr = into_closed_pipe(&dir, &args, false);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// `train --cv` and `tune` into a pipe that is already closed still write the model and end
/// quietly. (Regression: train's report went through print!, which panics on a closed pipe,
/// before the model was saved; tune returned at its first failed write, before the fit.)
#[test]
fn reports_into_a_closed_pipe_keep_the_model() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    let runs: [&[&str]; 2] = [
        &[
            "train", "--data", "data.csv", "--out", "m.model", "--cv", "2",
        ],
        &[
            "tune",
            "--data",
            "data.csv",
            "--cv",
            "2",
            "--out",
            "m.model",
            "--c-values",
            "1,10",
            "--ngram-values",
            "1-1",
        ],
    ];
    for args in runs {
        let _ = std::fs::remove_file(dir.path("m.model"));
        into_closed_pipe(&dir, args, false);
        assert!(dir.path("m.model").exists(), "{}: no model", args[0]);
    }
}

#[test]
fn help_shows_defaults() {
    let dir = Dir::new();
    dir.stance()
        .args(["train", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[default: 1-2]"))
        .stdout(predicate::str::contains("[default: 1]"))
        .stdout(predicate::str::contains("[default: none]"))
        .stdout(
            predicate::str::contains("[default: 1e-4]")
                .or(predicate::str::contains("[default: 0.0001]")),
        );
}

#[test]
fn suggest_writes_unlabelled_rows_in_labelled_format() {
    let dir = Dir::new();
    trained(&dir);
    dir.write(
        "pool.csv",
        "id,source,text,stance,sentiment\n\
         p1,x,We must send troops,,\n\
         p2,x,We must send troops,,\n\
         p3,x,Maybe troops maybe not,,\n\
         p4,x,The meeting took place on Tuesday,,\n\
         p5,x,Already labelled,favor,positive\n",
    );
    let out = dir
        .stance()
        .args([
            "suggest", "--model", "m.model", "--data", "pool.csv", "-n", "10",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    let mut lines = s.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,source,text,stance,sentiment,stance_guess,sentiment_guess,uncertainty"
    );
    let rows: Vec<&str> = lines.collect();
    // p2 duplicates p1 and p5 is labelled: neither is suggested.
    assert_eq!(rows.len(), 3, "{s}");
    assert!(!s.contains("p5"), "{s}");
    assert!(!(s.contains("p1,") && s.contains("p2,")), "{s}");
    // Each suggestion keeps its id, source and text, leaves the labels blank for the
    // annotator, and carries the model's guesses and an uncertainty in [0, 1].
    let mut reader = csv::Reader::from_reader(s.as_bytes());
    let mut ids = Vec::new();
    for record in reader.records() {
        let r = record.unwrap();
        assert_eq!(r.len(), 8, "{s}");
        ids.push(r[0].to_string());
        assert_eq!(&r[1], "x");
        assert!(r[2].contains(' '), "{s}");
        assert_eq!((&r[3], &r[4]), ("", ""), "{s}");
        assert!(["against", "favor", "neutral"].contains(&&r[5]), "{s}");
        assert!(["negative", "neutral", "positive"].contains(&&r[6]), "{s}");
        let u: f64 = r[7].parse().unwrap();
        assert!((0.0..=1.0).contains(&u), "{s}");
    }
    ids.sort();
    assert!(
        ids == ["p1", "p3", "p4"] || ids == ["p2", "p3", "p4"],
        "{s}"
    );

    // Suggesting again from that file writes its guesses afresh (regression: the header
    // then named `stance_guess` and `uncertainty` twice).
    dir.write("again.csv", &s);
    let again = succeeds(
        &dir,
        &["suggest", "--model", "m.model", "--data", "again.csv"],
    );
    let again = String::from_utf8(again).unwrap();
    assert_eq!(
        again.lines().next().unwrap(),
        "id,source,text,stance,sentiment,stance_guess,sentiment_guess,uncertainty"
    );
    assert_eq!(again.lines().count(), 4, "{again}");
}

/// `small_csv` with a `target` column: rows go to three groups in turn.
fn grouped_csv() -> String {
    let mut lines = small_csv().lines().map(str::to_string).collect::<Vec<_>>();
    lines[0].push_str(",target");
    for (i, line) in lines.iter_mut().enumerate().skip(1) {
        line.push_str([",alpha", ",beta", ",gamma"][i % 3]);
    }
    lines.join("\n") + "\n"
}

#[test]
fn group_models_equal_models_fitted_on_each_group_alone() {
    let dir = Dir::new();
    let csv = grouped_csv();
    dir.write("grouped.csv", &csv);
    let train = |data: &str, out: &str, extra: &str| {
        let args = format!("train --data {data} --out {out} -C 10 {extra}");
        succeeds(&dir, &args.split_whitespace().collect::<Vec<_>>());
        json_file(&dir, out)
    };
    let grouped = train("grouped.csv", "grouped.model", "--group-by target");
    let models = grouped["models"].as_array().unwrap();
    let names: Vec<&str> = models
        .iter()
        .map(|m| m["group"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alpha", "beta", "gamma"]);
    // Groups are fitted side by side; each must still be exactly its own rows' model, in
    // its own place.
    for (m, name) in models.iter().zip(&names) {
        let header = csv.lines().next().unwrap();
        let rows: Vec<&str> = csv
            .lines()
            .skip(1)
            .filter(|l| l.ends_with(&format!(",{name}")))
            .collect();
        let file = format!("{name}.csv");
        dir.write(&file, format!("{header}\n{}\n", rows.join("\n")));
        let alone = train(&file, &format!("{name}.model"), "");
        same_json(&m["classifier"], &alone["models"][0]["classifier"], name);
    }

    // evaluate routes each row to its group's model and reports every group.
    let out = succeeds(
        &dir,
        &[
            "evaluate",
            "--model",
            "grouped.model",
            "--data",
            "grouped.csv",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    let groups = v["groups"].as_object().unwrap();
    assert_eq!(
        groups.keys().map(String::as_str).collect::<Vec<_>>(),
        ["alpha", "beta", "gamma"]
    );
    let n: u64 = groups
        .values()
        .map(|g| g["tasks"]["stance"]["n"].as_u64().unwrap())
        .sum();
    assert_eq!(n, v["tasks"]["stance"]["n"].as_u64().unwrap());
    // Each group's figures are those of its own model on its own rows: a row sent to
    // another group's model would change the confusion counts.
    for name in &names {
        let alone = succeeds(
            &dir,
            &[
                "evaluate",
                "--model",
                &format!("{name}.model"),
                "--data",
                &format!("{name}.csv"),
                "--format",
                "json",
            ],
        );
        let alone: Value = serde_json::from_slice(&alone).unwrap();
        let (routed, alone) = (&groups[*name]["tasks"]["stance"], &alone["tasks"]["stance"]);
        assert_eq!(routed["n"], 15, "{name}");
        for field in ["confusion", "per_class", "accuracy", "macro_f1"] {
            assert!(!alone[field].is_null(), "{name}: {field}");
            assert_eq!(routed[field], alone[field], "{name}: {field}");
        }
    }
}

/// `--group-weights shared`: one model file holds the shared weights once and each group's
/// own; predict and evaluate route rows by group as with separate models; the same data
/// gives the same bytes; and a bad combination of options is refused in one line.
#[test]
fn shared_group_weights_train_route_and_repeat() {
    let dir = Dir::new();
    dir.write("grouped.csv", grouped_csv());
    let args = "train --data grouped.csv --out s.model -C 10 --group-by target \
                --group-weights shared --cv 3";
    let args: Vec<&str> = args.split_whitespace().collect();
    let report = String::from_utf8(succeeds(&dir, &args)).unwrap();
    assert!(report.contains("3-fold cross-validation"), "{report}");
    assert!(report.contains("stance: n=45"), "{report}");
    let first = std::fs::read(dir.path("s.model")).unwrap();
    succeeds(&dir, &args);
    assert_eq!(first, std::fs::read(dir.path("s.model")).unwrap());
    let model = json_file(&dir, "s.model");
    assert!(model.get("models").is_none());
    let groups: Vec<&str> = model["shared"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["alpha", "beta", "gamma"]);
    assert_eq!(model["metadata"]["options"]["group_weights"], "shared");

    let out = succeeds(
        &dir,
        &[
            "evaluate",
            "--model",
            "s.model",
            "--data",
            "grouped.csv",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    let n: u64 = v["groups"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g["tasks"]["stance"]["n"].as_u64().unwrap())
        .sum();
    assert_eq!(n, 45);
    assert!(v["tasks"]["stance"]["accuracy"].as_f64().unwrap() > 0.9);
    let out = succeeds(
        &dir,
        &[
            "predict",
            "--model",
            "s.model",
            "--data",
            "grouped.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 46);

    fails(
        &dir,
        &[
            "train",
            "--data",
            "grouped.csv",
            "--out",
            "x.model",
            "--group-weights",
            "shared",
        ],
        "--group-by",
    );
    fails(
        &dir,
        &[
            "tune",
            "--data",
            "grouped.csv",
            "--cv",
            "3",
            "--out",
            "x.model",
            "--group-by",
            "target",
            "--group-weights-values",
            "separate,shared",
            "--select",
            "per-group",
        ],
        "--select pooled",
    );
    assert!(!dir.path("x.model").exists());
}

/// `tune` with shared group weights writes the model it scored: evaluating it on the
/// validation file gives the figures the search listed, for the chosen (shared) setting;
/// under cross-validation it searches both weightings and ranks them in one list.
#[test]
fn tune_with_shared_weights_writes_the_model_it_scored() {
    let dir = Dir::new();
    let csv = grouped_csv();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let (mut train, mut val) = (vec![header], vec![header]);
    for (i, line) in lines.enumerate() {
        if i % 5 == 0 { &mut val } else { &mut train }.push(line);
    }
    dir.write("train.csv", train.join("\n") + "\n");
    dir.write("val.csv", val.join("\n") + "\n");
    let tune = "tune --data train.csv --validation val.csv --out m.model --label stance \
         --group-by target --group-weights-values shared --c-values 1,10 \
         --ngram-values 1-2 --char-ngram-values off --sublinear-values on --min-df-values 1";
    succeeds(&dir, &tune.split_whitespace().collect::<Vec<_>>());
    let model = json_file(&dir, "m.model");
    assert!(model["shared"].is_object());
    let chosen = &model["metadata"]["options"]["selection"]["chosen"];
    assert_eq!(chosen[0]["group_weights"], "shared");
    let out = succeeds(
        &dir,
        &[
            "evaluate", "--model", "m.model", "--data", "val.csv", "--format", "json",
        ],
    );
    let evaluated: Value = serde_json::from_slice(&out).unwrap();
    let listed = &model["metadata"]["tasks"]["stance"]["validation"];
    assert_eq!(listed["n"], 9);
    for metric in ["accuracy", "macro_f1", "f_avg"] {
        same_json(
            &listed[metric],
            &evaluated["tasks"]["stance"][metric],
            metric,
        );
    }

    let tune = "tune --data train.csv --cv 3 --out c.model --label stance --group-by target \
         --group-weights-values separate,shared --c-values 1,10 --ngram-values 1-2 \
         --char-ngram-values off --sublinear-values on --min-df-values 1 --top 10";
    let out = succeeds(&dir, &tune.split_whitespace().collect::<Vec<_>>());
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("2 settings × 2 C"), "{out}");
    let ranked: Vec<&str> = out.lines().filter(|l| l.contains("min_df")).collect();
    assert_eq!(ranked.len(), 2, "{out}");
    assert_eq!(
        ranked.iter().filter(|l| l.contains("shared")).count(),
        1,
        "{out}"
    );
    // Both weightings named, so that the columns line up.
    assert_eq!(
        ranked.iter().filter(|l| l.contains("separate")).count(),
        1,
        "{out}"
    );
    let at = |l: &str| l.find("words").unwrap();
    assert_eq!(at(ranked[0]), at(ranked[1]), "{out}");
}

/// With a single group, shared weights are two copies of every feature under one penalty
/// each: the weights split evenly between them, so the pair costs half the penalty of their
/// sum, and the model is the plain model at twice the C (the intercept is not penalised).
#[test]
fn one_shared_group_is_the_plain_model_at_twice_the_c() {
    let dir = Dir::new();
    let mut lines: Vec<String> = small_csv().lines().map(str::to_string).collect();
    lines[0].push_str(",target");
    lines.iter_mut().skip(1).for_each(|l| l.push_str(",only"));
    dir.write("one.csv", lines.join("\n") + "\n");
    let train = |out: &str, extra: &str| {
        let args = format!("train --data one.csv --out {out} --tol 1e-9 --label stance {extra}");
        succeeds(&dir, &args.split_whitespace().collect::<Vec<_>>());
    };
    train(
        "shared.model",
        "-C 5 --group-by target --group-weights shared",
    );
    train("plain.model", "-C 10");
    dir.write(
        "a.txt",
        "We must send troops now.\n\nThe talks went on.\n\nNo strikes.\n",
    );
    let probabilities = |model: &str, group: &[&str]| -> Vec<f64> {
        let mut args = vec!["predict", "--model", model, "--format", "jsonl", "a.txt"];
        args.extend_from_slice(group);
        let out = succeeds(&dir, &args);
        String::from_utf8(out)
            .unwrap()
            .lines()
            .flat_map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                let p = v["stance"]["probabilities"].as_object().unwrap().clone();
                p.values().map(|x| x.as_f64().unwrap()).collect::<Vec<_>>()
            })
            .collect()
    };
    let shared = probabilities("shared.model", &["--group", "only"]);
    let plain = probabilities("plain.model", &[]);
    assert_eq!(shared.len(), 9);
    for (a, b) in shared.iter().zip(&plain) {
        assert!((a - b).abs() < 1e-6, "{shared:?} vs {plain:?}");
    }
}

/// Regression: `tune` scored each C along a warm-started path but wrote a cold fit of the
/// chosen C, which at large C stops elsewhere: this split listed stance macro-F1 0.656 on
/// validation while the written model scored 0.634 there. The written model must be the one
/// that was scored.
#[test]
fn tune_writes_the_model_it_scored() {
    let dir = Dir::new();
    let mut reader =
        csv::Reader::from_path(common::repo().join("training-data/paragraphs.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let mut train = csv::Writer::from_path(dir.path("train.csv")).unwrap();
    let mut val = csv::Writer::from_path(dir.path("val.csv")).unwrap();
    train.write_record(&header).unwrap();
    val.write_record(&header).unwrap();
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap();
        if i % 4 == 0 { &mut val } else { &mut train }
            .write_record(&row)
            .unwrap();
    }
    drop((train, val));
    let features = "--sublinear-tf --min-df 1";
    let tune =
        "tune --data train.csv --validation val.csv --out m.model --c-values 3,300 --tol 1e-4 \
         --ngram-values 1-2 --char-ngram-values off --sublinear-values on --min-df-values 1 \
         --class-weights balanced";
    succeeds(&dir, &tune.split_whitespace().collect::<Vec<_>>());
    let model = json_file(&dir, "m.model");
    let chosen = &model["metadata"]["options"]["selection"]["chosen"][0]["tasks"];
    // The case that went wrong: a task chose the larger C, reached through the smaller one.
    assert!(chosen
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["c"] == 300.0 && t["c_path"] == serde_json::json!([3.0])));
    let out = succeeds(
        &dir,
        &[
            "evaluate", "--model", "m.model", "--data", "val.csv", "--format", "json",
        ],
    );
    let evaluated: Value = serde_json::from_slice(&out).unwrap();
    for task in ["stance", "sentiment"] {
        let listed = &model["metadata"]["tasks"][task]["validation"];
        let found = &evaluated["tasks"][task];
        for metric in ["accuracy", "macro_f1"] {
            assert_eq!(listed[metric], found[metric], "{task} {metric}");
        }
    }

    // `train` with the same options and the recorded path gives tune's stance model again.
    let train = format!(
        "train --data train.csv --out t.model --label stance -C 300 --c-path 3 \
         --class-weight balanced --ngrams 1-2 {features}"
    );
    succeeds(&dir, &train.split_whitespace().collect::<Vec<_>>());
    let trained = json_file(&dir, "t.model");
    let stance_model = |m: &Value| {
        m["models"][0]["classifier"]["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "stance")
            .unwrap()["model"]
            .clone()
    };
    same_json(
        &stance_model(&trained),
        &stance_model(&model),
        "stance model",
    );
    assert_eq!(
        trained["metadata"]["options"]["c_path"],
        serde_json::json!([3.0])
    );
}

/// `--loss squared-hinge` (train) and `--losses` (tune): tune records the loss it chose with
/// each task, train given the same options and path fits the same model again, the model
/// predicts with probabilities that sum to one, and an unknown loss is refused.
#[test]
fn squared_hinge_is_searched_trained_and_used() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    let tune =
        "tune --data data.csv --cv 3 --out tuned.model --label stance --losses squared-hinge \
                --c-values 1,10 --ngram-values 1-2 --char-ngram-values off --sublinear-values on \
                --min-df-values 1 --class-weights balanced";
    succeeds(&dir, &tune.split_whitespace().collect::<Vec<_>>());
    let tuned = json_file(&dir, "tuned.model");
    let options = &tuned["metadata"]["options"];
    assert_eq!(options["loss"], "squared_hinge");
    let choice = &options["selection"]["chosen"][0]["tasks"][0];
    assert_eq!(choice["loss"], "squared_hinge");
    let c = choice["c"].as_f64().unwrap();
    let path: Vec<String> = choice["c_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap().to_string())
        .collect();
    let mut train: Vec<String> = "train --data data.csv --out t.model --label stance \
                                  --loss squared-hinge --class-weight balanced --ngrams 1-2 \
                                  --sublinear-tf --min-df 1 -C"
        .split_whitespace()
        .map(String::from)
        .collect();
    train.push(c.to_string());
    if !path.is_empty() {
        train.push("--c-path".into());
        train.push(path.join(","));
    }
    succeeds(&dir, &train.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    let trained = json_file(&dir, "t.model");
    let task = &trained["models"][0]["classifier"]["tasks"][0];
    assert_eq!(task["loss"], "squared_hinge");
    same_json(
        &task["model"],
        &tuned["models"][0]["classifier"]["tasks"][0]["model"],
        "model",
    );

    let out = succeeds(
        &dir,
        &[
            "predict", "--model", "t.model", "--data", "data.csv", "--format", "jsonl",
        ],
    );
    let mut rows = 0;
    for line in String::from_utf8(out).unwrap().lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        let probs = row["stance"]["probabilities"].as_object().unwrap();
        let sum: f64 = probs.values().map(|v| v.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-9, "{line}");
        rows += 1;
    }
    assert_eq!(rows, 45, "one prediction per row of small_csv");
    fails(
        &dir,
        &[
            "train", "--data", "data.csv", "--out", "x.model", "--loss", "hinge",
        ],
        "`hinge` is not a loss",
    );
    assert!(!dir.path("x.model").exists());
}

/// Rows whose words come only packed in hashtags: `--hashtags split` unpacks them, so its
/// model tells `#SendTroops` from `#NoWar`, while a `keep` model sees two unknown tokens and
/// gives both rows the same label; tune, offered both, picks `split` on such validation rows.
#[test]
fn split_hashtags_are_searched_trained_and_used() {
    let dir = Dir::new();
    let mut train = String::from("text,stance\n");
    for i in 0..6 {
        train += &format!("send troops and strike them {i},favor\n");
        train += &format!("no war no strike {i},against\n");
    }
    dir.write("train.csv", &train);
    let val = "text,stance\n#SendTroops tonight,favor\n#NoWar tonight,against\n\
               #SendTroops today,favor\n#NoWar today,against\n";
    dir.write("val.csv", val);
    dir.write("new.csv", "text\n#SendTroops tonight\n#NoWar tonight\n");
    let labels = |model: &str| -> Vec<String> {
        let out = succeeds(
            &dir,
            &[
                "predict", "--model", model, "--data", "new.csv", "--format", "jsonl",
            ],
        );
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                let row: Value = serde_json::from_str(l).unwrap();
                row["stance"]["label"].as_str().unwrap().to_string()
            })
            .collect()
    };
    for (how, model) in [("keep", "keep.model"), ("split", "split.model")] {
        succeeds(
            &dir,
            &[
                "train",
                "--data",
                "train.csv",
                "--out",
                model,
                "--label",
                "stance",
                "--hashtags",
                how,
                "-C",
                "10",
            ],
        );
    }
    let analyzer = |model: &str| {
        json_file(&dir, model)["models"][0]["classifier"]["vectorizer"]["params"]["analyzer"]
            .clone()
    };
    assert_eq!(analyzer("split.model")["hashtags"], "split");
    assert!(analyzer("keep.model").get("hashtags").is_none());
    assert_eq!(labels("split.model"), ["favor", "against"]);
    let keep = labels("keep.model");
    assert_eq!(keep[0], keep[1]);

    succeeds(
        &dir,
        &[
            "tune",
            "--data",
            "train.csv",
            "--validation",
            "val.csv",
            "--out",
            "tuned.model",
            "--label",
            "stance",
            "--hashtags-values",
            "keep,split",
            "--c-values",
            "10",
            "--ngram-values",
            "1-1",
            "--char-ngram-values",
            "off",
            "--sublinear-values",
            "off",
            "--min-df-values",
            "1",
            "--class-weights",
            "none",
        ],
    );
    assert_eq!(analyzer("tuned.model")["hashtags"], "split");
    fails(
        &dir,
        &[
            "train",
            "--data",
            "train.csv",
            "--out",
            "x.model",
            "--hashtags",
            "cut",
        ],
        "invalid value 'cut' for '--hashtags <HOW>' [possible values: keep, split]",
    );
    assert!(!dir.path("x.model").exists());
}

/// Bad arguments get the same one-line contract as bad input (clap's own message is an
/// error, a usage line and a tip): a bad value, an unknown option, missing required options
/// (named in the line).
#[test]
fn bad_arguments_get_one_line() {
    let dir = Dir::new();
    dir.write("data.csv", small_csv());
    fails(
        &dir,
        &[
            "train", "--data", "data.csv", "--out", "x.model", "-C", "lots",
        ],
        "invalid value 'lots'",
    );
    fails(
        &dir,
        &[
            "train", "--data", "data.csv", "--out", "x.model", "--colour",
        ],
        "unexpected argument '--colour'",
    );
    fails(&dir, &["train", "--data", "data.csv"], "--out <MODEL>");
    assert!(!dir.path("x.model").exists());
    // Help still goes to standard output with status 0.
    let out = dir.stance().args(["train", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--loss"));
}

/// `predict --data` reads, labels and writes rows a batch at a time (4096 rows): across
/// batches the rows keep their order and numbers, and each text gets the label it gets alone.
/// A bad row past the first batch fails the run with its line, and `--out` is left unwritten.
#[test]
fn predict_data_keeps_order_and_numbers_across_batches() {
    let dir = Dir::new();
    trained(&dir);
    let texts = [
        "send troops now",
        "no troops and no strikes",
        "the talks went on",
    ];
    let mut csv = String::from("id,text\n");
    for i in 0..9000 {
        csv.push_str(&format!("r{i},{}\n", texts[i % 3]));
    }
    dir.write("many.csv", &csv);
    let alone: Vec<Value> = texts
        .iter()
        .map(|t| {
            dir.write("one.csv", format!("id,text\nx,{t}\n"));
            let out = succeeds(
                &dir,
                &[
                    "predict", "--model", "m.model", "--data", "one.csv", "--format", "jsonl",
                ],
            );
            serde_json::from_slice::<Value>(&out).unwrap()["stance"].clone()
        })
        .collect();
    let out = succeeds(
        &dir,
        &[
            "predict", "--model", "m.model", "--data", "many.csv", "--format", "jsonl",
        ],
    );
    let rows = jsonl_rows(out);
    assert_eq!(rows.len(), 9000);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["paragraph"], i + 1);
        assert_eq!(row["id"], format!("r{i}"));
        assert_eq!(row["stance"], alone[i % 3], "row {}", i + 1);
    }

    csv.push_str("r9000, \n");
    dir.write("bad.csv", &csv);
    fails(
        &dir,
        &[
            "predict", "--model", "m.model", "--data", "bad.csv", "--out", "o.jsonl",
        ],
        "bad.csv:9002: column `text` is empty",
    );
    assert!(!dir.path("o.jsonl").exists());
}
