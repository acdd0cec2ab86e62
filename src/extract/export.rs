//! `export`: every record written as an extract that `import` reads back to the same data.

use super::records::Record;
use super::{FILES, FileSpec};
use crate::private_file::{self, Replacement};
use crate::store::{Held, Holdings, Store, StoreError};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0} already holds an extract: export into a new or empty folder")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Rows written per file, in the extract's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub files: Vec<(&'static str, u64)>,
}

/// Writes the whole database as an extract into `dir` (created owner-only if needed; it must not
/// already hold extract files). The files hold personal data: each is readable by its owner only,
/// never written through a symbolic link, and appears whole or not at all.
pub fn export(store: &Store, dir: &Path) -> Result<ExportSummary, ExportError> {
    if let Some(existing) = FILES.iter().map(|f| dir.join(f.name)).find(|p| p.exists()) {
        return Err(ExportError::Exists(existing));
    }
    private_file::create_dir(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut summary = ExportSummary::default();
    let made = write_files(store, dir, &mut summary);
    if made.is_err() {
        // Part of an extract (a full disk part way) is never left to be taken for the whole:
        // the files this export finished go too (none was there before it).
        for (name, _) in &summary.files {
            let _ = private_file::remove(&dir.join(name));
        }
    }
    made.map(|()| summary)
}

fn write_files(store: &Store, dir: &Path, summary: &mut ExportSummary) -> Result<(), ExportError> {
    let file = |spec: &'static FileSpec| CsvFile::create(dir, spec);

    let mut out = file(&super::TENANCIES)?;
    for (_, t) in store.held_tenancies()? {
        out.write(&t)?;
    }
    summary.files.push(out.finish()?);
    let mut out = file(&super::TENANTS)?;
    for t in store.held_tenants()? {
        out.write(&t.row)?;
    }
    summary.files.push(out.finish()?);
    let mut out = file(&super::ACCOUNTS)?;
    for a in store.held_accounts()? {
        out.write(&a.row)?;
    }
    summary.files.push(out.finish()?);
    summary
        .files
        .push(each::<super::records::TransactionRow>(store, dir)?);
    summary
        .files
        .push(each::<super::records::ActionRow>(store, dir)?);
    summary
        .files
        .push(each::<super::records::NoticeRow>(store, dir)?);
    summary
        .files
        .push(each::<super::records::CourtRow>(store, dir)?);
    summary
        .files
        .push(each::<super::records::PlanRow>(store, dir)?);
    summary
        .files
        .push(each::<super::records::PauseRow>(store, dir)?);
    Ok(())
}

/// Streams every record of a kind into its file.
fn each<R: Record + Held>(store: &Store, dir: &Path) -> Result<(&'static str, u64), ExportError> {
    let mut out = CsvFile::create(dir, R::SPEC)?;
    let mut failed = None;
    store
        .each::<R>(false, |_, row| {
            out.write(&row).map_err(|e| {
                failed = Some(e);
                StoreError::Invalid("export stopped".into())
            })
        })
        .map_err(|e| failed.take().unwrap_or(ExportError::Store(e)))?;
    out.finish()
}

struct CsvFile {
    spec: &'static FileSpec,
    path: PathBuf,
    writer: csv::Writer<Replacement>,
    rows: u64,
}

impl CsvFile {
    fn create(dir: &Path, spec: &'static FileSpec) -> Result<CsvFile, ExportError> {
        let path = dir.join(spec.name);
        let file = Replacement::create(&path).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        let writer = csv::Writer::from_writer(file);
        let mut file = CsvFile {
            spec,
            path,
            writer,
            rows: 0,
        };
        let header: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
        file.writer
            .write_record(&header)
            .map_err(|e| write_error(&file.path, e))?;
        Ok(file)
    }

    fn write<R: Record>(&mut self, row: &R) -> Result<(), ExportError> {
        self.rows += 1;
        self.writer
            .write_record(row.fields().iter().map(|f| f.as_bytes()))
            .map_err(|e| write_error(&self.path, e))
    }

    fn finish(self) -> Result<(&'static str, u64), ExportError> {
        let failed = |source| ExportError::Write {
            path: self.path.clone(),
            source,
        };
        let file = self
            .writer
            .into_inner()
            .map_err(|e| failed(e.into_error()))?;
        file.commit().map_err(failed)?;
        Ok((self.spec.name, self.rows))
    }
}

fn write_error(path: &Path, e: csv::Error) -> ExportError {
    ExportError::Write {
        path: path.to_path_buf(),
        source: e.into(),
    }
}
