//! Reading one CSV file of an extract: its header matched to the file's columns in any order and
//! any case, then each row's fields checked as UTF-8 and parsed, every problem recorded with its
//! file, line and column.

use super::report::{Problem, Problems};
use super::{Column, FileSpec};
use csv::ByteRecord;
use std::fmt::Display;

/// A UTF-8 byte order mark, which spreadsheet programs write at the start of a CSV file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads `bytes` as `spec`, calling `visit` for each row; returns the number of bytes read so far
/// through `progress`. Rows of a file whose header lacks a required column are not read.
pub(super) fn read(
    spec: &'static FileSpec,
    bytes: &[u8],
    problems: &mut Problems,
    warnings: &mut Vec<String>,
    mut progress: impl FnMut(u64),
    mut visit: impl FnMut(&mut Row<'_>),
) {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = ByteRecord::new();
    let header = match reader.read_byte_record(&mut record) {
        Ok(true) => match Header::new(spec, &record, problems, warnings) {
            Some(header) => header,
            None => return,
        },
        Ok(false) => {
            problems.push(Problem {
                file: spec.name,
                line: 1,
                column: None,
                message: "the file is empty: it needs at least a header row".into(),
            });
            return;
        }
        Err(e) => return csv_problem(spec, &e, problems),
    };
    let mut rows = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                csv_problem(spec, &e, problems);
                continue;
            }
        }
        let mut row = Row {
            spec,
            index: &header.index,
            record: &record,
            line: record.position().map_or(0, csv::Position::line),
            problems,
            bad: false,
        };
        visit(&mut row);
        rows += 1;
        if rows.is_multiple_of(16_384) {
            progress(record.position().map_or(0, csv::Position::byte));
        }
    }
    progress(reader.position().byte());
}

fn csv_problem(spec: &'static FileSpec, e: &csv::Error, problems: &mut Problems) {
    problems.push(Problem {
        file: spec.name,
        line: e.position().map_or(0, csv::Position::line),
        column: None,
        message: format!("not readable as CSV: {e}"),
    });
}

/// Where each of the file's known columns sits in this file.
struct Header {
    index: Vec<Option<usize>>,
}

impl Header {
    fn new(
        spec: &'static FileSpec,
        record: &ByteRecord,
        problems: &mut Problems,
        warnings: &mut Vec<String>,
    ) -> Option<Header> {
        let mut index = vec![None; spec.columns.len()];
        let problem = |problems: &mut Problems, column, message: String| {
            problems.push(Problem {
                file: spec.name,
                line: 1,
                column,
                message,
            });
        };
        for (at, raw) in record.iter().enumerate() {
            let Ok(name) = std::str::from_utf8(raw) else {
                problem(
                    problems,
                    None,
                    format!("column {} of the header is not UTF-8 text", at + 1),
                );
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            match spec.columns.iter().position(|c| c.name == name) {
                Some(known) if index[known].is_some() => problem(
                    problems,
                    Some(spec.columns[known].name),
                    "the column appears twice in the header".into(),
                ),
                Some(known) => index[known] = Some(at),
                None => warnings.push(format!(
                    "{}: column `{name}` is not one caseload reads: ignored",
                    spec.name
                )),
            }
        }
        let mut complete = true;
        for (column, at) in spec.columns.iter().zip(&index) {
            if column.required && at.is_none() {
                problem(
                    problems,
                    Some(column.name),
                    "required column missing from the header".into(),
                );
                complete = false;
            }
        }
        complete.then_some(Header { index })
    }
}

/// One row being read: each accessor records a problem against the row's line and column.
pub struct Row<'a> {
    spec: &'static FileSpec,
    index: &'a [Option<usize>],
    record: &'a ByteRecord,
    pub line: u64,
    problems: &'a mut Problems,
    bad: bool,
}

impl<'a> Row<'a> {
    /// False once any field of the row had a problem.
    pub fn ok(&self) -> bool {
        !self.bad
    }

    pub fn problem(&mut self, column: Option<&'static str>, message: impl Into<String>) {
        self.bad = true;
        self.problems.push(Problem {
            file: self.spec.name,
            line: self.line,
            column,
            message: message.into(),
        });
    }

    fn column(&self, name: &str) -> (&'static Column, Option<usize>) {
        let at = self
            .spec
            .columns
            .iter()
            .position(|c| c.name == name)
            .expect("a parser reads only its own file's columns");
        (&self.spec.columns[at], self.index[at])
    }

    /// The field, trimmed; empty when the column is absent or not UTF-8 (which is a problem).
    pub fn text(&mut self, name: &str) -> &'a str {
        self.checked_text(name).unwrap_or("")
    }

    fn checked_text(&mut self, name: &str) -> Option<&'a str> {
        let (column, at) = self.column(name);
        let Some(raw) = at.and_then(|i| self.record.get(i)) else {
            return Some("");
        };
        match std::str::from_utf8(raw) {
            Ok(text) => Some(text.trim()),
            Err(_) => {
                self.problem(
                    Some(column.name),
                    "not UTF-8 text (save the extract as UTF-8)",
                );
                None
            }
        }
    }

    /// A field that must not be empty.
    pub fn required(&mut self, name: &str) -> Option<&'a str> {
        let text = self.checked_text(name)?;
        if text.is_empty() {
            let column = self.column(name).0.name;
            self.problem(Some(column), "missing: a value is required");
            return None;
        }
        Some(text)
    }

    /// A required field parsed by `parse`.
    pub fn parse<T, E: Display>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let text = self.required(name)?;
        self.convert(name, text, parse)
    }

    /// An optional field parsed by `parse`: `Some(None)` when empty, `None` when malformed.
    pub fn optional<T, E: Display>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        let text = self.checked_text(name)?;
        if text.is_empty() {
            return Some(None);
        }
        self.convert(name, text, parse).map(Some)
    }

    fn convert<T, E: Display>(
        &mut self,
        name: &str,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(text) {
            Ok(value) => Some(value),
            Err(e) => {
                let column = self.column(name).0.name;
                self.problem(Some(column), e.to_string());
                None
            }
        }
    }
}
