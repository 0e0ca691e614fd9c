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
/// ready, after a fit or a search that may have taken minutes), nor a device, pipe or
/// socket, which the rename into place would replace with a plain file.
pub fn check_target(path: &Path) -> Result<()> {
    target_of(path).map(|_| ())
}

/// The file that writing `path` replaces: `path` itself, or the file a symbolic link there
/// points to (regression: the rename replaced the link, and the file it pointed to kept
/// its old content), after the checks of [`check_target`].
fn target_of(path: &Path) -> Result<PathBuf> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?
    } else {
        path.to_path_buf()
    };
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => Err(Error::OutputIsFolder {
            path: path.to_path_buf(),
        }),
        Ok(m) if !m.is_file() => Err(Error::OutputNotFile {
            path: path.to_path_buf(),
        }),
        _ if !folder_of(&target).is_dir() => Err(Error::NoFolder {
            path: path.to_path_buf(),
        }),
        _ => Ok(target),
    }
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
        let path = &target_of(path)?;
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

    /// Regressions: `--out` through a symbolic link replaced the link (the file it named
    /// kept its old content), and a device or pipe was replaced by a plain file.
    #[cfg(unix)]
    #[test]
    fn links_are_written_through_and_devices_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let err = write(Path::new("/dev/null"), b"x").unwrap_err().to_string();
        assert_eq!(
            err,
            "/dev/null: not a regular file (a device, pipe or socket); give the path of a file to write"
        );
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
