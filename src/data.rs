//! Labelled (and unlabelled) data files: CSV with a header row, or JSON Lines.
//!
//! The format follows the file name: `.jsonl`, `.ndjson` and `.json` are JSON Lines (one
//! object per line), anything else is CSV. The text column defaults to `text`; each label
//! column is one task. Every problem is reported with the file and line and what to change.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
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
    /// Whether the grouping comes from a model (predict, evaluate, suggest) rather than from
    /// `--group-by` (train, tune): it decides what a missing group column's message asks for.
    pub group_from_model: bool,
    /// Whether every row must carry every label (training, evaluation) or none need to.
    pub require_labels: bool,
    /// Label columns used, when present, if `label_columns` is empty (default: stance, sentiment).
    pub default_tasks: Vec<String>,
    /// Whether each row keeps all its fields ([`Row::fields`]) to be written back out
    /// (default: no; only `suggest` writes rows back). Keeping them holds every text twice
    /// and a map per row: on 16 copies of NewsMTSC train (22 MB), 130 MB that training
    /// never reads.
    pub keep_fields: bool,
}

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec {
            text_column: "text".into(),
            label_columns: Vec::new(),
            group_column: None,
            group_from_model: false,
            require_labels: true,
            default_tasks: DEFAULT_TASKS.iter().map(|s| s.to_string()).collect(),
            keep_fields: false,
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
    /// Every field of the row by column name, for writing the row back out; empty unless
    /// [`DataSpec::keep_fields`].
    pub fields: BTreeMap<String, String>,
}

/// A whole data file.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Where it came from.
    pub path: PathBuf,
    /// Column names in file order (for JSON Lines, every key met; the tasks are found among
    /// the keys of the first object).
    pub columns: Vec<String>,
    /// Task (label column) names.
    pub tasks: Vec<String>,
    /// The column rows are grouped by, when grouping.
    pub group_column: Option<String>,
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

/// Whether `path` names a data file (CSV or JSON Lines) by its extension, the files that
/// `--data` reads; `predict` uses it to warn when one is given as an article.
pub fn is_data_file(path: &Path) -> bool {
    is_jsonl(path)
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads a data file.
pub fn read(path: &Path, spec: &DataSpec) -> Result<Dataset> {
    let mut reader = RowReader::open(path, spec)?;
    let rows = reader.by_ref().collect::<Result<Vec<_>>>()?;
    Ok(Dataset {
        path: path.into(),
        columns: reader.columns,
        tasks: reader.tasks,
        group_column: spec.group_column.clone(),
        rows,
    })
}

type RawRow = (u64, BTreeMap<String, String>);

/// The rows of a data file, read one at a time, so that `predict` labels a file of any length
/// in constant memory ([`read`] collects them). Opening reads the header and the first row:
/// an empty file, a missing text, label or group column is reported before any row is
/// returned; a bad row is reported when it is reached.
pub struct RowReader {
    path: PathBuf,
    spec: DataSpec,
    columns: Vec<String>,
    tasks: Vec<String>,
    records: Records,
    /// The first row, read ahead to tell an empty file from a file missing a column.
    pending: Option<RawRow>,
}

enum Records {
    Csv {
        reader: csv::Reader<Box<dyn BufRead>>,
        record: csv::ByteRecord,
        /// Added to the csv crate's line numbers of rows: 1 when lines end in CRLF, where
        /// it puts each row's start at the `\n` of the line before (regression: every row of
        /// a CRLF file was named one line too early).
        line_offset: u64,
        /// The line of the last row read, if its last field looks like an unclosed quote
        /// that ran to the end of the file (decided when the end is reached).
        open_quote: Option<u64>,
    },
    Jsonl {
        lines: std::io::Split<Box<dyn BufRead>>,
        line: u64,
    },
}

impl RowReader {
    /// Opens `path` (JSON Lines or CSV, see [`is_jsonl`]) and checks its columns against
    /// `spec`.
    pub fn open(path: &Path, spec: &DataSpec) -> Result<RowReader> {
        if path == Path::new("-") {
            // `-` means standard input for articles, but a data file is read by name
            // (regression: "-: no such file or directory").
            return Err(Error::param(
                "--data",
                "`-` (standard input) is read for articles, not data files; give the file's path",
            ));
        }
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut input: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, file));
        if input
            .fill_buf()
            .map_err(|e| Error::io(path, e))?
            .starts_with(b"\xEF\xBB\xBF")
        {
            input.consume(3);
        }
        let crlf = {
            let head = input.fill_buf().map_err(|e| Error::io(path, e))?;
            memchr::memchr(b'\n', head).is_some_and(|i| i > 0 && head[i - 1] == b'\r')
        };
        let (records, columns) = if is_jsonl(path) {
            let lines = input.split(b'\n');
            (Records::Jsonl { lines, line: 0 }, Vec::new())
        } else {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(input);
            let header = reader.byte_headers().map_err(|e| csv_error(path, e, 0))?;
            let columns = header
                .iter()
                .map(|h| {
                    std::str::from_utf8(h)
                        .map(|s| s.trim().to_string())
                        .map_err(|_| Error::InvalidUtf8 {
                            path: path.into(),
                            line: 1,
                        })
                })
                .collect::<Result<Vec<String>>>()?;
            // Two columns of one name: which would be read is an accident of order.
            for (i, c) in columns.iter().enumerate() {
                if columns[..i].contains(c) {
                    return Err(Error::Parse {
                        path: path.into(),
                        line: 1,
                        message: format!(
                            "column `{c}` appears twice in the header; rename or remove one"
                        ),
                    });
                }
            }
            let record = csv::ByteRecord::new();
            let line_offset = u64::from(crlf);
            (
                Records::Csv {
                    reader,
                    record,
                    line_offset,
                    open_quote: None,
                },
                columns,
            )
        };
        let mut reader = RowReader {
            path: path.into(),
            spec: spec.clone(),
            columns,
            tasks: Vec::new(),
            records,
            pending: None,
        };
        reader.pending = reader.next_raw()?;
        if reader.pending.is_none() {
            return Err(match (&reader.records, reader.columns.is_empty()) {
                (Records::Csv { .. }, false) => Error::NoRows {
                    path: path.into(),
                    header: reader.columns.join(","),
                    what: if spec.require_labels {
                        "labelled row"
                    } else {
                        "row"
                    },
                },
                (Records::Csv { .. }, true) => Error::EmptyFile {
                    path: path.into(),
                    expected: "a header row and at least one labelled row",
                },
                (Records::Jsonl { .. }, _) => Error::EmptyFile {
                    path: path.into(),
                    expected: "at least one JSON object per line",
                },
            });
        }
        reader.tasks = reader.check_columns()?;
        Ok(reader)
    }

    /// The tasks, once the text, label and group columns are known to exist.
    fn check_columns(&self) -> Result<Vec<String>> {
        let (spec, columns) = (&self.spec, &self.columns);
        let jsonl = matches!(self.records, Records::Jsonl { .. });
        let found = columns.join(", ");
        let missing = |column: &str, hint: &str| Error::MissingColumn {
            path: self.path.clone(),
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
            for (i, l) in spec.label_columns.iter().enumerate() {
                if spec.label_columns[..i].contains(l) {
                    return Err(Error::param(
                        "--label",
                        format!("`{l}` is given twice; name each label column once"),
                    ));
                }
                // A JSON Lines object need not hold every key; each row is checked for its
                // labels as it is read (regression: a label missing from the first object was
                // refused although the later ones had it).
                if !columns.contains(l) && !jsonl {
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
            if !columns.contains(g) && !jsonl {
                return Err(missing(
                    g,
                    if spec.group_from_model {
                        "the model has one classifier per value of this column; add the column"
                    } else {
                        "name an existing column with --group-by"
                    },
                ));
            }
        }
        Ok(tasks)
    }

    /// The next record's line and fields by column name.
    fn next_raw(&mut self) -> Result<Option<RawRow>> {
        let path = self.path.as_path();
        match &mut self.records {
            Records::Csv {
                reader,
                record,
                line_offset,
                open_quote,
            } => {
                if !reader
                    .read_byte_record(record)
                    .map_err(|e| csv_error(path, e, *line_offset))?
                {
                    if let Some(line) = open_quote.take() {
                        return Err(Error::Parse {
                            path: path.into(),
                            line,
                            message: "a quote opened in this row is never closed, so its last \
                                      field runs to the end of the file; close the quote"
                                .into(),
                        });
                    }
                    return Ok(None);
                }
                let line = record.position().map(|p| p.line()).unwrap_or(0) + *line_offset;
                // Known only at the end of the file: see `runs_to_the_end`.
                *open_quote = runs_to_the_end(record).then_some(line);
                let mut fields = BTreeMap::new();
                for (name, value) in self.columns.iter().zip(record.iter()) {
                    let value = std::str::from_utf8(value).map_err(|_| Error::InvalidUtf8 {
                        path: path.into(),
                        line,
                    })?;
                    fields.insert(name.clone(), value.to_string());
                }
                Ok(Some((line, fields)))
            }
            Records::Jsonl { lines, line } => {
                for bytes in lines.by_ref() {
                    *line += 1;
                    let line = *line;
                    let bytes = bytes.map_err(|e| Error::io(path, e))?;
                    let text = std::str::from_utf8(&bytes).map_err(|_| Error::InvalidUtf8 {
                        path: path.into(),
                        line,
                    })?;
                    if text.trim().is_empty() {
                        continue;
                    }
                    let value: serde_json::Value =
                        serde_json::from_str(text).map_err(|e| Error::Parse {
                            path: path.into(),
                            line,
                            message: format!("not a JSON object ({e})"),
                        })?;
                    let serde_json::Value::Object(map) = value else {
                        return Err(Error::Parse {
                            path: path.into(),
                            line,
                            message: "each line must be a JSON object".into(),
                        });
                    };
                    let mut fields = BTreeMap::new();
                    for (k, v) in map {
                        if !self.columns.contains(&k) {
                            self.columns.push(k.clone());
                        }
                        let v = match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        fields.insert(k, v);
                    }
                    return Ok(Some((line, fields)));
                }
                Ok(None)
            }
        }
    }

    /// A record as a [`Row`], with its text, labels and group checked.
    fn row(&self, (line, mut fields): RawRow) -> Result<Row> {
        let spec = &self.spec;
        let empty = |column: &str| Error::EmptyField {
            path: self.path.clone(),
            line,
            column: column.to_string(),
        };
        if fields
            .get(&spec.text_column)
            .is_none_or(|text| text.trim().is_empty())
        {
            return Err(empty(&spec.text_column));
        }
        let mut labels = Vec::with_capacity(self.tasks.len());
        for t in &self.tasks {
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
        let id = fields.get("id").filter(|s| !s.is_empty()).cloned();
        // Without `keep_fields` the text moves out of the map, which is then dropped.
        let text = match spec.keep_fields {
            true => fields.get(&spec.text_column).cloned(),
            false => fields.remove(&spec.text_column),
        }
        .unwrap_or_default();
        Ok(Row {
            line,
            id,
            text,
            labels,
            group,
            fields: if spec.keep_fields {
                fields
            } else {
                BTreeMap::new()
            },
        })
    }
}

impl Iterator for RowReader {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        let raw = match self.pending.take() {
            Some(raw) => raw,
            None => match self.next_raw() {
                Ok(Some(raw)) => raw,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            },
        };
        Some(self.row(raw))
    }
}

/// Whether the file's last row ends in a quoted field that was never closed: the csv
/// reader then takes the rest of the file into that field without complaint (regression:
/// `2,"He said hi` swallowed every row below it). Such a field holds the file's final line
/// break and, after its first line, the rows it swallowed; a closed quoted field ends
/// before its closing quote, not on a line break.
fn runs_to_the_end(record: &csv::ByteRecord) -> bool {
    record.iter().next_back().is_some_and(|field| {
        let Some(first_break) = memchr::memchr(b'\n', field) else {
            return false;
        };
        field.ends_with(b"\n") && memchr::memchr(b',', &field[first_break..]).is_some()
    })
}

fn csv_error(path: &Path, e: csv::Error, line_offset: u64) -> Error {
    let line = e.position().map(|p| p.line() + line_offset).unwrap_or(0);
    Error::Parse {
        path: path.into(),
        line,
        message: format!("malformed CSV ({e}); check quoting and the number of fields"),
    }
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
    fn data_files_are_known_by_extension() {
        for name in ["a.csv", "b.CSV", "c.jsonl", "d.ndjson", "e.json"] {
            assert!(is_data_file(Path::new(name)), "{name}");
        }
        for name in ["a.txt", "b.md", "csv", "c.csv.txt", "d"] {
            assert!(!is_data_file(Path::new(name)), "{name}");
        }
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

    /// Regression: the csv crate starts each row of a CRLF file at the `\n` before it, so
    /// every row was named one line too early.
    #[test]
    fn crlf_rows_are_named_by_their_own_lines() {
        let (_d, p) = write(
            "c.csv",
            b"text,stance\r\na,favor\r\nb,against\r\n\"c\r\nd\",favor\r\ne,against\r\n",
        );
        let ds = read(&p, &DataSpec::default()).unwrap();
        let lines: Vec<u64> = ds.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 6]);
        let (_d, p) = write("c.csv", b"text,stance\r\na,favor\r\nb,against,x\r\n");
        let err = read(&p, &DataSpec::default()).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}:3: malformed CSV", p.display())),
            "{err}"
        );
    }

    #[test]
    fn an_unclosed_quote_is_refused_not_swallowed() {
        let (_d, p) = write(
            "q.csv",
            b"id,text\n1,troops\n2,\"He said hi\n3,cartels\n4,border\n",
        );
        let spec = DataSpec {
            require_labels: false,
            ..DataSpec::default()
        };
        let err = read(&p, &spec).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "{}:3: a quote opened in this row is never closed",
                p.display()
            )),
            "{err}"
        );
        // Closed quotes across lines, also in the last field of the last row, stay fine.
        let (_d, p) = write(
            "ok.csv",
            b"id,text\n1,\"a, b\nc\"\n2,\"last, row\nacross lines\"\n",
        );
        let ds = read(&p, &spec).unwrap();
        assert_eq!(ds.rows[1].text, "last, row\nacross lines");
    }

    /// Regressions: a header naming a column twice was read with the last of them, and a
    /// label column given twice made two tasks of one column.
    #[test]
    fn refuses_a_column_twice() {
        let (_d, p) = write("d.csv", b"text,stance,stance\na,favor,against\n");
        let err = read(&p, &DataSpec::default()).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}:1: column `stance` appears twice in the header; rename or remove one",
                p.display()
            )
        );
        let (_d, p) = write("d.csv", b"text,stance\na,favor\n");
        let spec = DataSpec {
            label_columns: vec!["stance".into(), "stance".into()],
            ..DataSpec::default()
        };
        let err = read(&p, &spec).unwrap_err().to_string();
        assert!(err.contains("--label: `stance` is given twice"), "{err}");
    }

    /// Regression: a label named with --label was looked for in the first JSON object
    /// only; each object is checked for it instead, by its own line.
    #[test]
    fn jsonl_labels_are_checked_per_object() {
        let (_d, p) = write(
            "a.jsonl",
            b"{\"text\":\"a\",\"stance\":\"favor\",\"sentiment\":\"positive\"}\n\
              {\"text\":\"b\",\"sentiment\":\"negative\",\"stance\":\"against\"}\n",
        );
        let spec = |label: &str| DataSpec {
            label_columns: vec![label.to_string()],
            ..DataSpec::default()
        };
        assert_eq!(
            read(&p, &spec("sentiment")).unwrap().labels(0),
            ["positive", "negative"]
        );
        let (_d, p) = write(
            "b.jsonl",
            b"{\"text\":\"a\",\"stance\":\"favor\"}\n{\"text\":\"b\",\"stance\":\"against\",\"sentiment\":\"negative\"}\n",
        );
        let err = read(&p, &spec("sentiment")).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}:1: column `sentiment` is empty", p.display())),
            "{err}"
        );
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
            ("e.csv", b"", "the file is empty; give a header row"),
            ("e.csv", b"text,stance\n", "no rows below it"),
            (
                "e.jsonl",
                b"\n",
                "the file is empty; give at least one JSON object",
            ),
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

    /// Rows carry their fields for writing back only when asked; text and id are the same
    /// either way.
    #[test]
    fn rows_keep_their_fields_only_when_asked() {
        let (_d, p) = write("f.csv", b"id,text,stance,note\n7,Troops now,favor,x\n");
        let lean = read(&p, &DataSpec::default()).unwrap();
        let kept = read(
            &p,
            &DataSpec {
                keep_fields: true,
                ..DataSpec::default()
            },
        )
        .unwrap();
        for ds in [&lean, &kept] {
            let row = &ds.rows[0];
            assert_eq!(
                (row.id.as_deref(), row.text.as_str()),
                (Some("7"), "Troops now")
            );
            assert_eq!(row.labels, vec![Some("favor".to_string())]);
        }
        assert!(lean.rows[0].fields.is_empty());
        let fields: Vec<(&str, &str)> = kept.rows[0]
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("id", "7"),
                ("note", "x"),
                ("stance", "favor"),
                ("text", "Troops now")
            ]
        );
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
