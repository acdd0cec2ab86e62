//! The queue's order as last worked out, kept in the officer's state folder so that the next start
//! shows the accounts that headed it at once, while every account is ranked again. It holds
//! tenancy ids only: what those rows show is read fresh from the database, never from the file.
//! One file per database and officer (owner-only, written whole and atomically).

use super::draft_file::state_file;
use crate::private_file;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct RankingFile {
    path: PathBuf,
    database: String,
    officer: String,
}

#[derive(Serialize, Deserialize)]
struct Contents {
    /// Which database and officer the order belongs to, so it is never taken for another's.
    database: String,
    officer: String,
    tenancy_ids: Vec<i64>,
}

impl RankingFile {
    /// The file for this database and officer under `state_dir`.
    pub fn new(state_dir: &Path, database: &Path, officer: &str) -> RankingFile {
        let (path, database) = state_file(state_dir, "ranking", database, officer);
        RankingFile {
            path,
            database,
            officer: officer.to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tenancy ids kept, most to do first. None when there is no file, or one that cannot be
    /// read or belongs to another database or officer: then the queue is ranked before it shows.
    pub fn read(&self) -> Vec<i64> {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Contents>(&bytes).ok())
            .filter(|c| c.database == self.database && c.officer == self.officer)
            .map(|c| c.tenancy_ids)
            .unwrap_or_default()
    }

    /// Keeps these tenancy ids as the order the next start shows first.
    pub fn write(&self, tenancy_ids: &[i64]) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            private_file::create_dir(dir)?;
        }
        let contents = Contents {
            database: self.database.clone(),
            officer: self.officer.clone(),
            tenancy_ids: tenancy_ids.to_vec(),
        };
        let json = serde_json::to_vec(&contents).map_err(io::Error::other)?;
        private_file::write(&self.path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_per_database_and_officer_and_unreadable_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        std::fs::write(&db, "").unwrap();
        let tester = RankingFile::new(dir.path(), &db, "tester");
        assert_eq!(tester.read(), Vec::<i64>::new());
        tester.write(&[7, 3, 9]).unwrap();
        assert_eq!(tester.read(), vec![7, 3, 9]);
        assert_eq!(
            RankingFile::new(dir.path(), &db, "bob").read(),
            Vec::<i64>::new()
        );
        let other = dir.path().join("other.db");
        std::fs::write(&other, "").unwrap();
        assert_eq!(
            RankingFile::new(dir.path(), &other, "tester").read(),
            Vec::<i64>::new()
        );
        std::fs::write(tester.path(), "{not json").unwrap();
        assert_eq!(tester.read(), Vec::<i64>::new());
    }

    #[cfg(unix)]
    #[test]
    fn kept_owner_only_and_never_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        std::fs::write(&db, "").unwrap();
        let state = dir.path().join("state");
        let tester = RankingFile::new(&state, &db, "tester");
        tester.write(&[7]).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(tester.path()), 0o600);
        assert_eq!(mode(tester.path().parent().unwrap()), 0o700);
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "not yours").unwrap();
        std::fs::remove_file(tester.path()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, tester.path()).unwrap();
        assert!(tester.write(&[9]).is_err());
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"not yours");
    }
}
