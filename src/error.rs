//! The crate's error type.
//!
//! Every variant carries what a user needs to fix the problem (the file, the line or row,
//! the column, what was expected and what was found) so that the binary can print it as one
//! line and exit with status 2. Library code never panics on bad input; it returns one of these.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `stance`, with the data needed to say what to change.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: {}", path.display(), describe_io(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An output file's folder does not exist (output is never written to a folder it creates
    /// on its own, as a mistyped path would then go unnoticed).
    #[error("{}: its folder does not exist; create the folder first or write elsewhere", path.display())]
    NoFolder { path: PathBuf },

    /// An output path names an existing folder.
    #[error("{}: is a folder; give the path of a file to write", path.display())]
    OutputIsFolder { path: PathBuf },

    /// An output path names a device, pipe or socket.
    #[error("{}: not a regular file (a device, pipe or socket); give the path of a file to write", path.display())]
    OutputNotFile { path: PathBuf },

    /// A data file holds nothing at all; `expected` says what it should hold (which differs
    /// between CSV and JSON Lines).
    #[error("{}: the file is empty; give {expected}", path.display())]
    EmptyFile {
        path: PathBuf,
        expected: &'static str,
    },

    /// A CSV file holds a header row but no rows below it.
    #[error("{}: the header (`{header}`) has no rows below it; add at least one {what}", path.display())]
    NoRows {
        path: PathBuf,
        header: String,
        /// What a row must be: `labelled row` where labels are required, else `row`.
        what: &'static str,
    },

    /// A required column is missing from a CSV header or a JSON object.
    #[error("{}: no column `{column}` (found: {found}); {hint}", path.display())]
    MissingColumn {
        path: PathBuf,
        column: String,
        found: String,
        hint: String,
    },

    /// A row whose text or label field is empty.
    #[error("{}:{line}: column `{column}` is empty; fill it in or remove the row", path.display())]
    EmptyField {
        path: PathBuf,
        line: u64,
        column: String,
    },

    /// A saved web archive (MIME: `.mht`, `.mhtml`), whose page is encoded inside it.
    #[error(
        "{}: a web archive (MHTML), which stance cannot read; save the page as \"Webpage, HTML only\" (.html), or its text as .txt",
        path.display()
    )]
    WebArchive { path: PathBuf },

    /// Bytes that are not UTF-8.
    #[error("{}:{line}: invalid UTF-8; save the file as UTF-8", path.display())]
    InvalidUtf8 { path: PathBuf, line: u64 },

    /// A CSV or JSON Lines record that cannot be parsed.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: u64,
        message: String,
    },

    /// A label in evaluation data that the model was never trained on.
    #[error(
        "{}:{line}: label `{label}` in column `{task}` is not one the model knows ({known}); \
         fix the label or retrain with it ({count} such row(s) in all)",
        path.display()
    )]
    UnknownLabel {
        path: PathBuf,
        line: u64,
        task: String,
        label: String,
        known: String,
        count: usize,
    },

    /// A value of scoring data (a label, or a group) that the training data never has: the
    /// search could not score it fairly, and a refit on both files would learn it.
    #[error(
        "{}:{line}: {what} `{value}` in column `{column}` is not in the training data ({known}); \
         fix it or remove the row ({count} such row(s) in all)",
        path.display()
    )]
    NotInTraining {
        path: PathBuf,
        line: u64,
        what: Unseen,
        column: String,
        value: String,
        known: String,
        count: usize,
    },

    /// A model file that is not a `stance` model, or is truncated or corrupt.
    #[error("{}: not a usable stance model: {reason}", path.display())]
    BadModel { path: PathBuf, reason: String },

    /// A model file written by a newer `stance`.
    #[error(
        "{}: model format version {found} is newer than this stance supports ({supported}); \
         upgrade stance or retrain the model",
        path.display()
    )]
    NewerModel {
        path: PathBuf,
        /// The version as the file writes it (it may not fit any integer type).
        found: String,
        supported: u32,
    },

    /// The features given to a model do not match what it was trained on.
    #[error("the model expects {expected} features but got {found}; the model file is inconsistent, retrain it")]
    FeatureMismatch { expected: usize, found: usize },

    /// A parameter outside its allowed range.
    #[error("invalid value for {name}: {reason}")]
    InvalidParam { name: String, reason: String },

    /// Pruning by document frequency left no terms.
    #[error(
        "min_df={min_df} and max_df={max_df} left no terms out of {terms} in {documents} documents; \
         lower --min-df or raise --max-df"
    )]
    EmptyVocabulary {
        min_df: String,
        max_df: String,
        terms: usize,
        documents: usize,
    },

    /// A task with fewer than two classes cannot be learnt.
    #[error("column `{task}` has only one class ({class}); a classifier needs at least two")]
    SingleClass { task: String, class: String },

    /// Cross-validation asked for more folds than a class has rows.
    #[error("--cv {folds} needs at least {folds} rows of each class, but `{task}` has {count} of `{class}`; lower --cv or label more such rows")]
    TooFewForFolds {
        task: String,
        class: String,
        count: usize,
        folds: usize,
    },

    /// No input was given where some is needed.
    #[error("{0}")]
    NoInput(String),

    /// The optimiser failed.
    #[error("the optimiser failed: {0}")]
    Optimizer(String),

    /// An error from linfa itself.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}

/// What [`Error::NotInTraining`] found (a small enum, so the error stays small).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unseen {
    Label,
    Group,
}

impl std::fmt::Display for Unseen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unseen::Label => "label",
            Unseen::Group => "group",
        })
    }
}

/// What went wrong with a file, and for the usual causes what to change, without the
/// operating system's error number (`No such file or directory (os error 2)`).
fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory; check the path".to_string(),
        ErrorKind::PermissionDenied => "permission denied; check its permissions".to_string(),
        ErrorKind::IsADirectory => "is a folder; give the path of a file".to_string(),
        _ => {
            let text = e.to_string();
            match e.raw_os_error() {
                Some(code) => text
                    .strip_suffix(&format!(" (os error {code})"))
                    .map(str::to_string)
                    .unwrap_or(text),
                None => text,
            }
        }
    }
}

impl Error {
    /// Shorthand for an [`Error::Io`] on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Shorthand for an [`Error::InvalidParam`].
    pub fn param(name: &str, reason: impl Into<String>) -> Self {
        Error::InvalidParam {
            name: name.to_string(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Error as IoError, ErrorKind};

    use super::*;

    #[test]
    fn file_errors_say_what_to_change_without_the_os_error_number() {
        let say = |e: IoError| Error::io("data.csv", e).to_string();
        assert_eq!(
            say(IoError::from_raw_os_error(2)),
            "data.csv: no such file or directory; check the path"
        );
        assert_eq!(
            say(IoError::from_raw_os_error(13)),
            "data.csv: permission denied; check its permissions"
        );
        assert_eq!(
            say(IoError::from_raw_os_error(21)),
            "data.csv: is a folder; give the path of a file"
        );
        // Other causes keep the system's words, without "(os error 28)".
        assert_eq!(
            say(IoError::from_raw_os_error(28)),
            "data.csv: No space left on device"
        );
        assert_eq!(
            say(IoError::new(
                ErrorKind::InvalidData,
                "stream did not contain valid UTF-8"
            )),
            "data.csv: stream did not contain valid UTF-8"
        );
    }
}
