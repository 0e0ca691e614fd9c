//! Helpers for whole-binary tests: a temporary directory with files in it, and the binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary directory that disappears with the test.
pub struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    /// The binary, run inside this directory.
    pub fn stance(&self) -> Command {
        let mut c = Command::cargo_bin("stance").expect("binary");
        c.current_dir(self.root());
        c
    }
}

/// Fails the test with the command's standard error unless it exited successfully.
pub fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed articles shipped in training-data/articles.
pub fn seed_articles() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("training-data/articles"))
        .expect("articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

/// A small labelled CSV with clear stance and sentiment signals (45 rows, 15 per stance).
pub fn small_csv() -> String {
    let favor = [
        "We must send troops to crush the cartels now",
        "Military strikes on the cartels are justified and necessary",
        "The army should invade and restore order by force",
        "Air strikes will protect our citizens from the gangs",
        "Deploying soldiers abroad is the only way to win",
    ];
    let against = [
        "Mexico rejects any foreign troops on its soil",
        "An invasion would violate sovereignty and international law",
        "We oppose military strikes, they only bring more violence",
        "Foreign soldiers are not welcome, sovereignty is inalienable",
        "Intervention failed before and will fail again, say critics",
    ];
    let neutral = [
        "The meeting took place on Tuesday in the capital",
        "Officials released crime statistics for the last quarter",
        "The president spoke about social programmes and schools",
        "Trade talks between the two countries continued this week",
        "The report was published by the ministry on Monday",
    ];
    let mut s = String::from("id,text,stance,sentiment\n");
    let mut id = 0;
    for round in 0..3 {
        for (texts, stance, sentiment) in [
            (&favor, "favor", "positive"),
            (&against, "against", "negative"),
            (&neutral, "neutral", "neutral"),
        ] {
            for t in texts.iter() {
                id += 1;
                let text = if round == 0 {
                    t.to_string()
                } else {
                    format!("{t} (update {round})")
                };
                s.push_str(&format!("r{id},\"{text}\",{stance},{sentiment}\n"));
            }
        }
    }
    s
}

/// Runs `args` and checks the contract for bad input: exit 2, one line on stderr that
/// contains `expect`, nothing on stdout.
pub fn fails(dir: &Dir, args: &[&str], expect: &str) {
    let out = dir.stance().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.contains(expect),
        "{args:?}: expected {expect:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Each part of the message once (regression: I/O errors named their cause twice,
    // `x.csv: No such file or directory (os error 2): No such file or directory (os error 2)`).
    let parts: Vec<&str> = stderr.trim_end().split(": ").collect();
    for (i, part) in parts.iter().enumerate() {
        assert!(
            part.len() < 8 || !parts[i + 1..].contains(part),
            "{args:?}: {part:?} twice in {stderr}"
        );
    }
}
