//! The fallback for drafts: when the database cannot take a draft (locked for long, full,
//! read-only), it is written to a file of the officer's own in the state folder, and the next
//! start offers it like any draft. One file per database and officer, written whole each time
//! (owner-only, atomically: see `private_file`), removed once the database has every draft again.

use super::drafts::Draft;
use crate::private_file;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct DraftFile {
    path: PathBuf,
    database: String,
    officer: String,
}

#[derive(Serialize, Deserialize)]
struct Contents {
    /// Which database and officer the drafts belong to, so a file is never offered to another.
    database: String,
    officer: String,
    drafts: Vec<Draft>,
}

#[derive(Debug, thiserror::Error)]
pub enum DraftFileError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} is not a drafts file caseload can read: {source}")]
    Format {
        path: PathBuf,
        source: serde_json::Error,
    },
}

impl DraftFile {
    /// The file for this database and officer under `state_dir`.
    pub fn new(state_dir: &Path, database: &Path, officer: &str) -> DraftFile {
        let (path, database) = state_file(state_dir, "drafts", database, officer);
        DraftFile {
            path,
            database,
            officer: officer.to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn officer(&self) -> &str {
        &self.officer
    }

    /// The drafts kept in the file (none if there is no file).
    pub fn read(&self) -> Result<Vec<Draft>, DraftFileError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(vec![]),
            Err(source) => {
                return Err(DraftFileError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let contents: Contents =
            serde_json::from_str(&text).map_err(|source| DraftFileError::Format {
                path: self.path.clone(),
                source,
            })?;
        Ok(
            if contents.database == self.database && contents.officer == self.officer {
                contents.drafts
            } else {
                vec![]
            },
        )
    }

    /// Makes the file hold exactly these drafts (removing it when there are none).
    pub fn write<'a>(&self, drafts: impl IntoIterator<Item = &'a Draft>) -> io::Result<()> {
        let drafts: Vec<Draft> = drafts.into_iter().cloned().collect();
        if drafts.is_empty() {
            return private_file::remove(&self.path);
        }
        if let Some(dir) = self.path.parent() {
            private_file::create_dir(dir)?;
        }
        let contents = Contents {
            database: self.database.clone(),
            officer: self.officer.clone(),
            drafts,
        };
        let json = serde_json::to_vec_pretty(&contents).map_err(io::Error::other)?;
        private_file::write(&self.path, &json)
    }
}

/// The file of `database` and `officer` in `folder` of the state folder, and the database's full
/// path, which the file records so that it is never taken for another database's.
pub(super) fn state_file(
    state_dir: &Path,
    folder: &str,
    database: &Path,
    officer: &str,
) -> (PathBuf, String) {
    // The database's full path names it; a relative path would name another file elsewhere.
    let database = std::fs::canonicalize(database)
        .unwrap_or_else(|_| database.to_path_buf())
        .to_string_lossy()
        .into_owned();
    let stem = Path::new(&database)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let readable = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .take(32)
            .collect()
    };
    let name = format!(
        "{}-{}-{:016x}.json",
        readable(&stem),
        readable(officer),
        fnv1a(format!("{database}\0{officer}").as_bytes())
    );
    (state_dir.join(folder).join(name), database)
}

/// A stable name for a file: the same database and officer give the same file in every version
/// of the program (the standard library's hasher makes no such promise).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::drafts::draft_of as draft;

    #[test]
    fn kept_per_database_and_officer_owner_only_and_removed_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        std::fs::write(&db, "").unwrap();
        let tester = DraftFile::new(dir.path(), &db, "tester");
        let bob = DraftFile::new(dir.path(), &db, "bob");
        assert_ne!(tester.path(), bob.path());
        assert_eq!(tester.read().unwrap(), vec![]);
        tester
            .write(&[draft(1, "part one"), draft(2, "x")])
            .unwrap();
        assert_eq!(tester.read().unwrap().len(), 2);
        assert_eq!(bob.read().unwrap(), vec![]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(tester.path()), 0o600);
            assert_eq!(mode(tester.path().parent().unwrap()), 0o700);
        }
        // The same database named another way is the same file.
        let again = DraftFile::new(
            dir.path(),
            &dir.path().join(".").join("caseload.db"),
            "tester",
        );
        assert_eq!(again.read().unwrap()[0].body, "part one");
        tester.write(&[]).unwrap();
        assert!(!tester.path().exists());
    }
}
