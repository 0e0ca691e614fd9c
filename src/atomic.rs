//! Atomic file output: write to a temporary file beside the target, rename it into place.
//!
//! A command that fails or is interrupted half-way therefore never leaves a half-written
//! model, report or suggestion file, and never damages the file it was replacing.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// A file being written; it appears at its path only when [`AtomicFile::commit`] is called.
pub struct AtomicFile {
    tmp: NamedTempFile,
    path: PathBuf,
}

/// Checks that `path` can be written before any long work is done: its folder exists and
/// it is not itself a folder (either would otherwise be found only when the result is
/// ready, after a fit or a search that may have taken minutes).
pub fn check_target(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::OutputIsFolder {
            path: path.to_path_buf(),
        });
    }
    if !folder_of(path).is_dir() {
        return Err(Error::NoFolder {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The folder a file at `path` is written in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl AtomicFile {
    /// Starts writing `path` (in a temporary file in the same folder).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        check_target(path)?;
        let dir = folder_of(path);
        // tempfile's own error repeats the path; keep only what went wrong.
        let tmp = tempfile::Builder::new()
            .prefix(".stance-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, std::io::Error::new(e.kind(), e.kind().to_string())))?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// A second handle on the temporary file, for buffered writers.
    pub fn writer(&self) -> Result<std::fs::File> {
        self.tmp.reopen().map_err(|e| Error::io(&self.path, e))
    }

    /// Flushes to disk and renames the file into place with the usual permissions.
    pub fn commit(self) -> Result<()> {
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| Error::io(&self.path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // tempfile creates files readable by their owner only; a model or report is not secret.
            let _ =
                std::fs::set_permissions(self.tmp.path(), std::fs::Permissions::from_mode(0o644));
        }
        self.tmp
            .persist(&self.path)
            .map_err(|e| Error::io(&self.path, e.error))?;
        Ok(())
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// Writes to `path` atomically whatever `fill` writes, through a buffer: for output too large
/// to build in memory first (a model file is tens of megabytes with a large vocabulary).
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let file = AtomicFile::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file.writer()?);
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(path, e))?;
    drop(out);
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        std::fs::write(&p, "old").unwrap();
        let f = AtomicFile::create(&p).unwrap();
        f.writer().unwrap().write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        drop(f);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn a_folder_is_not_a_file_to_write() {
        let dir = tempfile::tempdir().unwrap();
        let err = check_target(dir.path()).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: is a folder; give the path of a file to write",
                dir.path().display()
            )
        );
        assert!(matches!(
            write(dir.path(), b"x"),
            Err(Error::OutputIsFolder { .. })
        ));
        assert!(check_target(&dir.path().join("new.model")).is_ok());
        assert!(matches!(
            check_target(&dir.path().join("no/new.model")),
            Err(Error::NoFolder { .. })
        ));
    }

    #[test]
    fn missing_folder_is_named_once() {
        let err = write(Path::new("/no/such/dir/x"), b"")
            .unwrap_err()
            .to_string();
        assert_eq!(err.matches("/no/such/dir").count(), 1, "{err}");
        assert_eq!(
            err,
            "/no/such/dir/x: its folder does not exist; create the folder first or write elsewhere"
        );
    }
}
