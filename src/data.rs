//! Labelled (and unlabelled) data files: CSV with a header row, or JSON Lines.
//!
//! The format follows the file name: `.jsonl`, `.ndjson` and `.json` are JSON Lines (one
//! object per line), anything else is CSV. The text column defaults to `text`; each label
//! column is one task. Every problem is reported with the file and line and what to change.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Which columns to read.
#[derive(Debug, Clone)]
pub struct DataSpec {
    /// The text column (default `text`).
    pub text_column: String,
    /// Label columns; empty means "stance and sentiment, whichever exist".
    pub label_columns: Vec<String>,
    /// A column to group rows by (one model per value), if any.
    pub group_column: Option<String>,
    /// Whether every row must carry every label (training, evaluation) or none need to.
    pub require_labels: bool,
    /// Label columns used, when present, if `label_columns` is empty (default: stance, sentiment).
    pub default_tasks: Vec<String>,
}

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec {
            text_column: "text".into(),
            label_columns: Vec::new(),
            group_column: None,
            require_labels: true,
            default_tasks: DEFAULT_TASKS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The label columns used when none are named.
pub const DEFAULT_TASKS: [&str; 2] = ["stance", "sentiment"];

/// One row of a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Line of the file where the row starts (1-based, header included).
    pub line: u64,
    /// The `id` field, when the file has one.
    pub id: Option<String>,
    /// The text to classify.
    pub text: String,
    /// One label per task (`None` when absent or empty and labels are not required).
    pub labels: Vec<Option<String>>,
    /// The group value, when grouping.
    pub group: Option<String>,
    /// Every field of the row by column name, for writing the row back out.
    pub fields: BTreeMap<String, String>,
}

/// A whole data file.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Where it came from.
    pub path: PathBuf,
    /// Column names in file order (for JSON Lines, the keys of the first object).
    pub columns: Vec<String>,
    /// Task (label column) names.
    pub tasks: Vec<String>,
    /// The rows.
    pub rows: Vec<Row>,
}

impl Dataset {
    /// The texts of all rows.
    pub fn texts(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r.text.as_str()).collect()
    }

    /// The labels of task `t` for all rows (empty strings where missing).
    pub fn labels(&self, t: usize) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| r.labels[t].clone().unwrap_or_default())
            .collect()
    }

    /// Number of rows per label of task `t`, sorted by label.
    pub fn label_counts(&self, t: usize) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for r in &self.rows {
            if let Some(l) = &r.labels[t] {
                *counts.entry(l.clone()).or_insert(0) += 1;
            }
        }
        counts
    }
}

/// Whether `path` is read as JSON Lines.
pub fn is_jsonl(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()),
        Some(ref e) if e == "jsonl" || e == "ndjson" || e == "json"
    )
}

/// Reads a data file.
pub fn read(path: &Path, spec: &DataSpec) -> Result<Dataset> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile { path: path.into() });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let (columns, raw) = if is_jsonl(path) {
        read_jsonl(path, bytes)?
    } else {
        read_csv(path, bytes)?
    };
    build(path, spec, columns, raw)
}

type RawRow = (u64, BTreeMap<String, String>);

fn read_csv(path: &Path, bytes: &[u8]) -> Result<(Vec<String>, Vec<RawRow>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let parse = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        Error::Parse {
            path: path.into(),
            line,
            message: format!("malformed CSV ({e}); check quoting and the number of fields"),
        }
    };
    let header = reader.byte_headers().map_err(parse)?.clone();
    let columns: Vec<String> = header
        .iter()
        .map(|h| {
            std::str::from_utf8(h)
                .map(|s| s.trim().to_string())
                .map_err(|_| Error::InvalidUtf8 {
                    path: path.into(),
                    line: 1,
                })
        })
        .collect::<Result<_>>()?;
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(parse)? {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut fields = BTreeMap::new();
        for (name, value) in columns.iter().zip(record.iter()) {
            let value = std::str::from_utf8(value).map_err(|_| Error::InvalidUtf8 {
                path: path.into(),
                line,
            })?;
            fields.insert(name.clone(), value.to_string());
        }
        rows.push((line, fields));
    }
    Ok((columns, rows))
}

fn read_jsonl(path: &Path, bytes: &[u8]) -> Result<(Vec<String>, Vec<RawRow>)> {
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for (i, line) in BufReader::new(bytes).split(b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = line.map_err(|e| Error::io(path, e))?;
        let text = std::str::from_utf8(&line).map_err(|_| Error::InvalidUtf8 {
            path: path.into(),
            line: line_no,
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::Parse {
            path: path.into(),
            line: line_no,
            message: format!("not a JSON object ({e})"),
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::Parse {
                path: path.into(),
                line: line_no,
                message: "each line must be a JSON object".into(),
            });
        };
        let mut fields = BTreeMap::new();
        for (k, v) in map {
            if !columns.contains(&k) {
                columns.push(k.clone());
            }
            let v = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            fields.insert(k, v);
        }
        rows.push((line_no, fields));
    }
    Ok((columns, rows))
}

fn build(path: &Path, spec: &DataSpec, columns: Vec<String>, raw: Vec<RawRow>) -> Result<Dataset> {
    if raw.is_empty() {
        return Err(Error::EmptyFile { path: path.into() });
    }
    let found = columns.join(", ");
    let missing = |column: &str, hint: &str| Error::MissingColumn {
        path: path.into(),
        column: column.to_string(),
        found: found.clone(),
        hint: hint.to_string(),
    };
    if !columns.contains(&spec.text_column) {
        return Err(missing(
            &spec.text_column,
            "name the text column with --text-column",
        ));
    }
    let tasks: Vec<String> = if spec.label_columns.is_empty() {
        spec.default_tasks
            .iter()
            .filter(|t| columns.contains(t))
            .cloned()
            .collect()
    } else {
        for l in &spec.label_columns {
            if !columns.contains(l) {
                return Err(missing(l, "name the label columns with --label"));
            }
        }
        spec.label_columns.clone()
    };
    if tasks.is_empty() && spec.require_labels {
        return Err(missing(
            spec.default_tasks
                .first()
                .map(String::as_str)
                .unwrap_or("stance"),
            &format!(
                "add a label column ({}), or name the label columns with --label",
                spec.default_tasks.join(", ")
            ),
        ));
    }
    if let Some(g) = &spec.group_column {
        if !columns.contains(g) {
            return Err(missing(g, "name an existing column with --group-by"));
        }
    }
    let mut rows = Vec::with_capacity(raw.len());
    for (line, fields) in raw {
        let empty = |column: &str| Error::EmptyField {
            path: path.into(),
            line,
            column: column.to_string(),
        };
        let text = fields.get(&spec.text_column).cloned().unwrap_or_default();
        if text.trim().is_empty() {
            return Err(empty(&spec.text_column));
        }
        let mut labels = Vec::with_capacity(tasks.len());
        for t in &tasks {
            let v = fields.get(t).map(|s| s.trim()).unwrap_or("");
            if v.is_empty() {
                if spec.require_labels {
                    return Err(empty(t));
                }
                labels.push(None);
            } else {
                labels.push(Some(v.to_string()));
            }
        }
        let group = match &spec.group_column {
            Some(g) => {
                let v = fields.get(g).map(|s| s.trim()).unwrap_or("");
                if v.is_empty() {
                    return Err(empty(g));
                }
                Some(v.to_string())
            }
            None => None,
        };
        rows.push(Row {
            line,
            id: fields.get("id").cloned().filter(|s| !s.is_empty()),
            text,
            labels,
            group,
            fields,
        });
    }
    Ok(Dataset {
        path: path.into(),
        columns,
        tasks,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        (dir, p)
    }

    #[test]
    fn reads_csv_with_default_tasks() {
        let (_d, p) = write(
            "a.csv",
            b"\xEF\xBB\xBFid,text,stance\n1,\"Troops, now\",favor\n2,No,against\n",
        );
        let ds = read(&p, &DataSpec::default()).unwrap();
        assert_eq!(ds.tasks, ["stance"]);
        assert_eq!(ds.rows[0].text, "Troops, now");
        assert_eq!(ds.rows[1].id.as_deref(), Some("2"));
        assert_eq!(ds.rows[1].line, 3);
        assert_eq!(ds.labels(0), ["favor", "against"]);
    }

    #[test]
    fn reads_jsonl() {
        let (_d, p) = write(
            "a.jsonl",
            b"{\"text\":\"a\",\"sentiment\":\"positive\"}\n\n{\"text\":\"b\",\"sentiment\":\"negative\"}\n",
        );
        let ds = read(&p, &DataSpec::default()).unwrap();
        assert_eq!(ds.tasks, ["sentiment"]);
        assert_eq!(ds.rows[1].line, 3);
    }

    #[test]
    fn errors_name_file_line_and_fix() {
        let cases: Vec<(&str, &[u8], &str)> = vec![
            ("e.csv", b"", "empty"),
            ("e.csv", b"text,stance\n", "empty"),
            ("m.csv", b"body,stance\nx,favor\n", "--text-column"),
            ("l.csv", b"text\nx\n", "--label"),
            ("t.csv", b"text,stance\nx,favor\n ,against\n", "m.csv"),
            (
                "u.csv",
                b"text,stance\nx,favor\n\xff\xfe,favor\n",
                ":3: invalid UTF-8",
            ),
            (
                "b.jsonl",
                b"{\"text\":\"a\",\"stance\":\"x\"}\nnot json\n",
                ":2: not a JSON object",
            ),
            (
                "f.csv",
                b"text,stance\nx,favor,extra\n",
                ":2: malformed CSV",
            ),
            (
                "n.csv",
                b"text,stance\nx,\n",
                ":2: column `stance` is empty",
            ),
        ];
        for (name, content, expect) in cases {
            let (_d, p) = write(name, content);
            let err = read(&p, &DataSpec::default()).unwrap_err().to_string();
            let expect = if expect == "m.csv" {
                ":3: column `text` is empty"
            } else {
                expect
            };
            assert!(err.contains(expect), "{name}: {err}");
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn unlabelled_rows_allowed_when_not_required() {
        let (_d, p) = write("u.csv", b"id,text,stance\n1,x,\n");
        let spec = DataSpec {
            require_labels: false,
            ..DataSpec::default()
        };
        let ds = read(&p, &spec).unwrap();
        assert_eq!(ds.rows[0].labels, vec![None]);
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let err = read(Path::new("/nonexistent/x.csv"), &DataSpec::default()).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.csv"));
    }
}
