//! Writing what was prepared, then recording it. Every file is new (a letter once written is
//! never replaced: a second letter the same day gets a name of its own), owner-only, and made
//! durable before the database says it was sent; the day's manifest and `sms.csv` are appended
//! to. If recording fails, the files are taken back, so nothing is half-done.

use super::{Letters, Prepared};
use crate::domain::codes::CodeMaps;
use crate::domain::dates::iso;
use crate::domain::letter::{LetterKind, Sent, SentFile};
use crate::domain::record::Record;
use crate::private_file;
use crate::store::{By, Store, StoreError};
use chrono::{NaiveDate, NaiveDateTime};
use minijinja::Value;
use std::io;
use std::path::{Path, PathBuf};

/// A prepared letter the officer (or the batch) has decided to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready {
    pub prepared: Prepared,
    /// A person's reason for sending a letter to a tenant flagged vulnerable.
    pub checked: Option<String>,
}

/// A letter that could not be made: recorded as failed with the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failed {
    pub tenancy_id: i64,
    pub letter: LetterKind,
    pub reason: String,
}

/// The folder letters go in by default: the database file's; for a team's database (a URL, no
/// folder of its own) the current folder.
pub fn folder_of(db: &Path) -> &Path {
    let on_server = db.to_str().is_some_and(crate::store::pg::is_url);
    match db.parent() {
        Some(dir) if !on_server && !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Where and as whom.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// Letters go in `letters/DATE/` here (see [`folder_of`]).
    pub db_dir: &'a Path,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    pub officer: &'a str,
    pub codes: &'a CodeMaps,
    /// The write's source: "tui" or "cli".
    pub source: &'a str,
    /// Also write one print file of every letter.
    pub print: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Produced {
    /// What was recorded, in order, and each one's line in the action log.
    pub records: Vec<Record>,
    pub actions: Vec<Option<i64>>,
    pub folder: PathBuf,
    /// The print file, when one was asked for and there were letters.
    pub print: Option<PathBuf>,
    /// Letters written (one per addressee) and texts added to `sms.csv`.
    pub letters: usize,
    pub texts: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    #[error("could not write {}: {source}", .path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("the page template failed: {0}")]
    Page(String),
    #[error("nothing was recorded, and the files written were taken back: {0}")]
    Store(#[from] StoreError),
}

const MANIFEST: &str = "manifest.csv";
const SMS: &str = "sms.csv";

/// Writes each ready letter's files (and texts), records them and the failures in one
/// transaction, and returns what was done.
pub fn produce(
    store: &mut Store,
    letters: &Letters,
    ready: &[Ready],
    failed: &[Failed],
    o: &Options<'_>,
) -> Result<Produced, ProduceError> {
    let day = iso(o.today);
    let folder = o.db_dir.join("letters").join(&day);
    let mut done = Undo::default();
    let result = write_and_record(store, letters, ready, failed, o, &folder, &day, &mut done);
    if result.is_err() {
        done.take_back();
    }
    result
}

#[allow(clippy::too_many_arguments)]
fn write_and_record(
    store: &mut Store,
    letters: &Letters,
    ready: &[Ready],
    failed: &[Failed],
    o: &Options<'_>,
    folder: &Path,
    day: &str,
    done: &mut Undo,
) -> Result<Produced, ProduceError> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ProduceError::Write { path, source }
    };
    if !ready.is_empty() {
        // `letters/` is caseload's own folder, like the day's in it: a link planted at either
        // is refused, never followed.
        if let Some(letters) = folder.parent() {
            private_file::refuse_link(letters).map_err(at(letters))?;
        }
        private_file::create_dir(folder).map_err(at(folder))?;
    }
    let relative = |name: &str| format!("letters/{day}/{name}");
    let mut manifest = csv::Writer::from_writer(Vec::new());
    let mut sms = csv::Writer::from_writer(Vec::new());
    let mut sections: Vec<&str> = Vec::new();
    let mut records = Vec::new();
    let (mut letter_count, mut text_count) = (0, 0);
    for r in ready {
        let p = &r.prepared;
        let mut files = Vec::new();
        for m in &p.made {
            // One row per letter or text sent, as recorded; a letter's plain-text copy rides
            // on its row, so the post room counts what goes out.
            let mut row = |file: &str, hash: &str, text_copy: &str| {
                manifest.write_record([
                    p.reference.as_str(),
                    m.recipient.as_str(),
                    p.letter.as_str(),
                    file,
                    hash,
                    text_copy,
                ])
            };
            if let Some((phone, _)) = &m.sms {
                let hash = sha256(m.text.as_bytes());
                sms.write_record([phone.as_str(), m.text.as_str(), p.reference.as_str()])
                    .map_err(csv_error(folder.join(SMS)))?;
                row(SMS, &hash, "").map_err(csv_error(folder.join(MANIFEST)))?;
                files.push(SentFile {
                    tenant: m.tenant,
                    recipient: format!("{}, {phone}", m.recipient),
                    file: relative(SMS),
                    sha256: hash,
                    copy: None,
                });
                text_count += 1;
                continue;
            }
            let title = format!("{} · {} · {}", p.letter.label(), p.reference, m.recipient);
            let page = page(letters, &title, &[m.html.as_str()])?;
            let who = m
                .tenant
                .map_or_else(|| "joint".to_string(), |t| t.to_string());
            let stem = format!("{}-{}-{who}", file_safe(&p.reference), p.letter.as_str());
            let html = done.write_unique(folder, &stem, "html", page.as_bytes())?;
            let text_name = html.replace(".html", ".txt");
            done.write_new(&folder.join(&text_name), m.text.as_bytes())?;
            let (html_hash, text_hash) = (sha256(page.as_bytes()), sha256(m.text.as_bytes()));
            row(&html, &html_hash, &text_name).map_err(csv_error(folder.join(MANIFEST)))?;
            files.push(SentFile {
                tenant: m.tenant,
                recipient: m.recipient.clone(),
                file: relative(&html),
                sha256: html_hash,
                copy: Some((relative(&text_name), text_hash)),
            });
            sections.push(&m.html);
            letter_count += 1;
        }
        records.push(Record::Letter {
            tenancy_id: p.tenancy_id,
            sent: Box::new(Sent {
                letter: p.letter,
                files,
                checked: r.checked.clone(),
            }),
        });
    }
    records.extend(failed.iter().map(|f| Record::LetterFailed {
        tenancy_id: f.tenancy_id,
        letter: f.letter,
        reason: f.reason.clone(),
    }));
    let mut print = None;
    if o.print && !sections.is_empty() {
        let title = format!("Letters produced on {}", crate::domain::dates::uk(o.today));
        let page = page(letters, &title, &sections)?;
        let name = done.write_unique(folder, "print", "html", page.as_bytes())?;
        print = Some(folder.join(name));
    }
    if letter_count + text_count > 0 {
        // Every letter durable before the database says it was sent: one flush for them all.
        private_file::sync_all(folder).map_err(at(folder))?;
    }
    done.append(
        &folder.join(MANIFEST),
        b"ref,tenant,letter,file,sha256,text_copy\n",
        manifest,
    )?;
    done.append(&folder.join(SMS), b"phone,text,ref\n", sms)?;
    let by = By {
        officer: o.officer,
        at: o.now,
        codes: o.codes,
    };
    let actions = store.write(o.officer, o.source, |w| {
        records
            .iter()
            .map(|record| Ok(w.record(record, &by)?.action))
            .collect()
    })?;
    Ok(Produced {
        records,
        actions,
        folder: folder.to_path_buf(),
        print,
        letters: letter_count,
        texts: text_count,
    })
}

/// The printed document of `sections`, each starting on a new page.
fn page(letters: &Letters, title: &str, sections: &[&str]) -> Result<String, ProduceError> {
    let fields = minijinja::context! {
        title => title,
        letters => sections.iter().map(|s| Value::from_safe_string((*s).to_string())).collect::<Vec<_>>(),
    };
    letters
        .templates
        .render("page.html", &fields, &[])
        .map_err(|f| ProduceError::Page(f.reason))
}

fn csv_error(path: PathBuf) -> impl FnOnce(csv::Error) -> ProduceError {
    move |e| ProduceError::Write {
        path,
        source: io::Error::other(e),
    }
}

/// A reference as part of a file name: `200101/1` → `200101-1`.
fn file_safe(reference: &str) -> String {
    reference
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// SHA-256 in hex, as `sha256sum` prints it.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// What was written so far, to take back if recording fails.
#[derive(Default)]
struct Undo {
    files: Vec<PathBuf>,
    appended: Vec<(PathBuf, (u64, u64))>,
}

impl Undo {
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> Result<(), ProduceError> {
        private_file::write_new(path, bytes, false).map_err(|source| ProduceError::Write {
            path: path.to_path_buf(),
            source,
        })?;
        self.files.push(path.to_path_buf());
        Ok(())
    }

    /// Writes `stem.ext`, or `stem-2.ext`... if that name is taken; returns the name used.
    fn write_unique(
        &mut self,
        folder: &Path,
        stem: &str,
        ext: &str,
        bytes: &[u8],
    ) -> Result<String, ProduceError> {
        for n in 1..=1000 {
            let name = if n == 1 {
                format!("{stem}.{ext}")
            } else {
                format!("{stem}-{n}.{ext}")
            };
            let path = folder.join(&name);
            match private_file::write_new(&path, bytes, false) {
                Ok(()) => {
                    self.files.push(path);
                    return Ok(name);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(ProduceError::Write { path, source }),
            }
        }
        Err(ProduceError::Write {
            path: folder.join(format!("{stem}.{ext}")),
            source: io::Error::other("a thousand files of that name already"),
        })
    }

    fn append(
        &mut self,
        path: &Path,
        header: &[u8],
        rows: csv::Writer<Vec<u8>>,
    ) -> Result<(), ProduceError> {
        let rows = rows.into_inner().map_err(|e| ProduceError::Write {
            path: path.to_path_buf(),
            source: io::Error::other(e.to_string()),
        })?;
        if rows.is_empty() {
            return Ok(());
        }
        let lengths =
            private_file::append(path, header, &rows).map_err(|source| ProduceError::Write {
                path: path.to_path_buf(),
                source,
            })?;
        self.appended.push((path.to_path_buf(), lengths));
        Ok(())
    }

    fn take_back(&mut self) {
        for (path, lengths) in self.appended.drain(..) {
            let _ = private_file::undo_append(&path, lengths);
        }
        for path in self.files.drain(..) {
            let _ = private_file::remove(&path);
        }
    }
}
