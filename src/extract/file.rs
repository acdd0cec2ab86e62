//! Reading one CSV file of an extract, strictly, as a stream of rows: the header matched to the
//! file's columns in any order and any case, then each row split into fields, each field checked
//! for what its column may hold, and every problem recorded with its file, line and column.
//!
//! The splitting is RFC 4180 with the checks a nightly extract needs, because a lenient reader
//! turns one stray quote into a silently swallowed file. A quote that does not close before the
//! end of its line is a problem at the line and column where it opened, unless the column may
//! hold line breaks (descriptions, comments); even then a quote that runs past 10,000
//! characters, past the end of the file, or over a line that reads as a row of its own is a
//! problem. A row with more or fewer fields than the header, an empty line among the rows, text
//! after a closing quote, control or invisible characters where a value is an id, code, amount
//! or date (NUL anywhere), and over-long values are problems too. So is a last row with no line
//! end after it: a transfer cut short stops part-way through a row, which may still read as
//! whole (`112.40` cut to `112`). Offending values are echoed at most 100 characters long.

use super::report::{Problem, Problems};
use super::{Column, FileSpec, Holds};
use std::collections::VecDeque;
use std::fmt::Display;
use std::io::BufRead;

/// A UTF-8 byte order mark, which spreadsheet programs write at the start of a CSV file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest id, reference, code, amount or date, in characters.
pub const MAX_CODE: usize = 100;
/// The longest text, in characters: a page of a letter.
pub const MAX_TEXT: usize = 10_000;
/// The longest line kept to read; the rest of a longer line is skipped (and it is a problem).
const MAX_LINE: usize = 4 * MAX_TEXT + 4096;
/// How much of an offending value a message shows.
pub const SHOWN: usize = 100;

/// The first [`SHOWN`] characters of `text`, marked when cut.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN) {
        None => text.into(),
        Some((at, _)) => format!("{}…", &text[..at]).into(),
    }
}

fn group(n: usize) -> String {
    crate::domain::money::group_thousands(n as u64)
}

/// Reads `input` as `spec`, calling `visit` for each row; `progress` hears how many bytes have
/// been read so far. Rows of a file whose header lacks a required column are not read.
pub(super) fn read(
    spec: &'static FileSpec,
    input: impl BufRead,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
    mut progress: impl FnMut(u64),
    mut visit: impl FnMut(&mut Row<'_>),
) -> std::io::Result<()> {
    let mut lexer = Lexer::new(input);
    let mut record = Record::default();
    let mut report = Report {
        spec,
        problems,
        bad: false,
    };
    if !lexer.record(&[], usize::MAX, &mut record, &mut report)? {
        report.push(
            1,
            None,
            "the file is empty: it needs at least a header row".into(),
        );
        return Ok(());
    }
    let Some(header) = Header::new(spec, &record, &mut report, warnings) else {
        return Ok(());
    };
    let width = record.len();
    let mut rows = 0u64;
    let mut blank: Option<u64> = None;
    loop {
        report.bad = false;
        if !lexer.record(
            &header.columns,
            width.saturating_sub(1),
            &mut record,
            &mut report,
        )? {
            break;
        }
        if record.is_blank() {
            // A blank line (or a row of empty fields) may end the file, not sit among the rows.
            blank.get_or_insert(record.line);
            continue;
        }
        if let Some(at) = blank.take() {
            report.push(
                at,
                None,
                "an empty line among the rows: remove it, so that no row is taken for missing"
                    .into(),
            );
        }
        if lexer.unended && lexer.pending.is_empty() && !record.broken {
            // The row took the input's last line, and no line end followed it.
            report.push(
                record.line,
                None,
                "the file ends part-way through this row, with no line end after it: was the \
                 file cut short in transfer? If the row and the file are whole, end the row with \
                 a line end and import again"
                    .into(),
            );
        }
        if record.len() != width && !record.broken {
            let hint = if record.len() > width {
                " (a value holding a comma must be in quotes)"
            } else {
                " (is the line cut short?)"
            };
            report.push(
                record.line,
                None,
                format!(
                    "the row has {} fields but the header has {width}{hint}",
                    record.len()
                ),
            );
        }
        if !record.broken {
            header.check(&mut record, &mut report);
        }
        let mut row = Row {
            spec,
            index: &header.index,
            record: &record,
            line: record.line,
            problems: report.problems,
            bad: report.bad,
        };
        visit(&mut row);
        rows += 1;
        if rows.is_multiple_of(16_384) {
            progress(lexer.bytes);
        }
    }
    progress(lexer.bytes);
    Ok(())
}

/// Problems of the file being read, noting whether the current row has any.
struct Report<'a> {
    spec: &'static FileSpec,
    problems: &'a mut Problems,
    bad: bool,
}

impl Report<'_> {
    fn push(&mut self, line: u64, column: Option<&'static str>, message: String) {
        self.bad = true;
        self.problems.push(Problem {
            file: self.spec.name,
            line,
            column,
            message,
        });
    }
}

/// One row's fields, split and unquoted: `buf[ends[i-1]..ends[i]]` is field `i`.
#[derive(Default)]
struct Record {
    /// The line the row starts on.
    line: u64,
    buf: Vec<u8>,
    ends: Vec<usize>,
    /// Fields already reported as unreadable, by position: read as absent, not reported again.
    refused: Vec<bool>,
    /// The row could not be split into fields as written (a quote that runs on, a line too
    /// long): reported once, its fields not checked further.
    broken: bool,
}

impl Record {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.buf[start..end])
    }

    fn end_field(&mut self) {
        self.ends.push(self.buf.len());
        self.refused.push(false);
    }

    fn is_blank(&self) -> bool {
        self.buf.iter().all(u8::is_ascii_whitespace)
    }
}

/// Physical lines of the input, numbered, with lines put back to read again.
struct Lexer<R> {
    input: R,
    /// The number of the next line read from `input`.
    next_line: u64,
    /// Bytes read from `input` so far.
    bytes: u64,
    /// Lines to read again (after a quote that ran on was refused), oldest first.
    pending: VecDeque<(u64, Vec<u8>, bool)>,
    line: Vec<u8>,
    /// Whether `line` was cut at [`MAX_LINE`], and the length of the line as read.
    cut: bool,
    length: usize,
    started: bool,
    /// The input's last line had no line end after it (read, or put back to read again).
    unended: bool,
}

impl<R: BufRead> Lexer<R> {
    fn new(input: R) -> Self {
        Lexer {
            input,
            next_line: 1,
            bytes: 0,
            pending: VecDeque::new(),
            line: Vec::new(),
            cut: false,
            length: 0,
            started: false,
            unended: false,
        }
    }

    /// Reads the next physical line into `self.line` (without its line ending); its number, or
    /// `None` at the end of the input.
    fn advance(&mut self) -> std::io::Result<Option<u64>> {
        if let Some((number, line, cut)) = self.pending.pop_front() {
            self.line = line;
            self.cut = cut;
            return Ok(Some(number));
        }
        self.line.clear();
        self.cut = false;
        self.length = 0;
        let (mut any, mut ended) = (false, false);
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(at) => (at, true),
                None => (chunk.len(), false),
            };
            let room = MAX_LINE.saturating_sub(self.line.len());
            if take > room {
                self.cut = true;
            }
            self.line.extend_from_slice(&chunk[..take.min(room)]);
            self.length += take;
            let used = take + usize::from(done);
            self.input.consume(used);
            self.bytes += used as u64;
            if done {
                ended = true;
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.unended |= !ended;
        if !self.started {
            self.started = true;
            if self.line.starts_with(BOM) {
                self.line.drain(..BOM.len());
            }
        }
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        let number = self.next_line;
        self.next_line += 1;
        Ok(Some(number))
    }

    /// Splits the next row into `record`; false at the end of the input. `columns` are the
    /// file's columns by field position (a field beyond them, or of a column caseload does not
    /// read, holds text); a line with `seps` or more commas reads as a row.
    fn record(
        &mut self,
        columns: &[Option<&'static Column>],
        seps: usize,
        record: &mut Record,
        report: &mut Report<'_>,
    ) -> std::io::Result<bool> {
        record.buf.clear();
        record.ends.clear();
        record.refused.clear();
        record.broken = false;
        let Some(start) = self.advance()? else {
            return Ok(false);
        };
        record.line = start;
        if self.cut {
            report.push(
                start,
                None,
                format!(
                    "the line is {} bytes long, more than the {} a row may be: is a quote \
                     missing, or a value run together with the rows after it?",
                    group(self.length),
                    group(MAX_LINE)
                ),
            );
            record.broken = true;
            return Ok(true);
        }
        let mut line = std::mem::take(&mut self.line);
        let mut number = start;
        let mut at = 0;
        'fields: loop {
            let field = record.len();
            if line.get(at) != Some(&b'"') {
                // Unquoted: up to the next comma.
                match memchr::memchr(b',', &line[at..]) {
                    Some(comma) => {
                        record.buf.extend_from_slice(&line[at..at + comma]);
                        record.end_field();
                        at += comma + 1;
                        continue;
                    }
                    None => {
                        record.buf.extend_from_slice(&line[at..]);
                        record.end_field();
                        break;
                    }
                }
            }
            // Quoted: up to the closing quote, `""` standing for one quote.
            let (opened, column) = (number, char_column(&line, at));
            let field_start = record.buf.len();
            at += 1;
            loop {
                match memchr::memchr(b'"', &line[at..]) {
                    Some(q) if line.get(at + q + 1) == Some(&b'"') => {
                        record.buf.extend_from_slice(&line[at..=at + q]);
                        at += q + 2;
                    }
                    Some(q) => {
                        record.buf.extend_from_slice(&line[at..at + q]);
                        at += q + 1;
                        break;
                    }
                    None => {
                        record.buf.extend_from_slice(&line[at..]);
                        let (name, holds) = column_at(columns, field);
                        let runs_on = |report: &mut Report<'_>, why: &str| {
                            report.push(
                                opened,
                                name,
                                format!("the quote opened at column {column} {why}"),
                            );
                        };
                        if holds != Holds::Lines {
                            runs_on(report, "does not close before the end of its line");
                            record.end_field();
                            record.broken = true;
                            break 'fields;
                        }
                        let Some(next) = self.advance()? else {
                            runs_on(report, "is never closed: the file ends inside it");
                            record.end_field();
                            record.broken = true;
                            break 'fields;
                        };
                        let before_quote =
                            memchr::memchr(b'"', &self.line).unwrap_or(self.line.len());
                        let commas = memchr::memchr_iter(b',', &self.line[..before_quote]).count();
                        let length = record.buf.len() - field_start + before_quote;
                        if commas >= seps.max(1) || self.cut || length > MAX_TEXT {
                            let why = if commas >= seps.max(1) {
                                format!(
                                    "does not close before line {next}, which reads as a row of \
                                     its own"
                                )
                            } else {
                                format!(
                                    "runs on past line {next}, more than {} characters",
                                    group(MAX_TEXT)
                                )
                            };
                            runs_on(report, &why);
                            // Read that line again as the start of a row.
                            let again = std::mem::take(&mut self.line);
                            self.pending.push_front((next, again, self.cut));
                            record.end_field();
                            record.broken = true;
                            break 'fields;
                        }
                        record.buf.push(b'\n');
                        number = next;
                        line = std::mem::take(&mut self.line);
                        at = 0;
                    }
                }
            }
            // After the closing quote: a comma, or the end of the line.
            match line.get(at) {
                None => {
                    record.end_field();
                    break;
                }
                Some(b',') => {
                    record.end_field();
                    at += 1;
                }
                Some(_) => {
                    report.push(
                        number,
                        column_at(columns, field).0,
                        format!(
                            "text after the closing quote at column {}: quote the whole value, \
                             writing a quote inside it as \"\"",
                            char_column(&line, at - 1)
                        ),
                    );
                    // Take the rest of the field as it stands.
                    let end = memchr::memchr(b',', &line[at..]).map_or(line.len(), |c| at + c);
                    record.buf.extend_from_slice(&line[at..end]);
                    record.end_field();
                    if end == line.len() {
                        break;
                    }
                    at = end + 1;
                }
            }
        }
        self.line = line;
        Ok(true)
    }
}

/// The 1-based column (in characters) of byte `at` of `line`.
fn char_column(line: &[u8], at: usize) -> usize {
    String::from_utf8_lossy(&line[..at.min(line.len())])
        .chars()
        .count()
        + 1
}

/// The column of a field position and what it holds.
fn column_at(columns: &[Option<&'static Column>], at: usize) -> (Option<&'static str>, Holds) {
    match columns.get(at).copied().flatten() {
        Some(c) => (Some(c.name), c.holds),
        None => (None, Holds::Text),
    }
}

/// Where each of the file's known columns sits in this file.
struct Header {
    index: Vec<Option<usize>>,
    /// The file's column at each field position (`None` for a column caseload does not read).
    columns: Vec<Option<&'static Column>>,
}

impl Header {
    fn new(
        spec: &'static FileSpec,
        record: &Record,
        report: &mut Report<'_>,
        warnings: &mut Vec<String>,
    ) -> Option<Header> {
        let mut index = vec![None; spec.columns.len()];
        let mut columns = vec![None; record.len()];
        for (at, column) in columns.iter_mut().enumerate() {
            let raw = record.get(at).unwrap_or_default();
            let Ok(name) = std::str::from_utf8(raw) else {
                report.push(
                    1,
                    None,
                    format!("column {} of the header is not UTF-8 text", at + 1),
                );
                continue;
            };
            if let Some(message) = check_field(Holds::Code, raw) {
                report.push(
                    1,
                    None,
                    format!("column {} of the header {message}", at + 1),
                );
                continue;
            }
            let name = name.trim().to_ascii_lowercase();
            match spec.columns.iter().position(|c| c.name == name) {
                Some(known) if index[known].is_some() => report.push(
                    1,
                    Some(spec.columns[known].name),
                    "the column appears twice in the header".into(),
                ),
                Some(known) => {
                    index[known] = Some(at);
                    *column = Some(&spec.columns[known]);
                }
                None => warnings.push(format!(
                    "{}: column `{}` is not one caseload reads: ignored",
                    spec.name,
                    shown(&name)
                )),
            }
        }
        let mut complete = true;
        for (column, at) in spec.columns.iter().zip(&index) {
            if column.required && at.is_none() {
                report.push(
                    1,
                    Some(column.name),
                    "required column missing from the header".into(),
                );
                complete = false;
            }
        }
        complete.then_some(Header { index, columns })
    }

    /// Checks each known field for what its column may hold.
    fn check(&self, record: &mut Record, report: &mut Report<'_>) {
        for (at, column) in self.columns.iter().enumerate() {
            let (Some(column), Some(raw)) = (column, record.get(at)) else {
                continue;
            };
            if let Some(message) = check_field(column.holds, raw) {
                report.push(record.line, Some(column.name), message);
                record.refused[at] = true;
            }
        }
    }
}

/// What is wrong with a field's bytes for a column that holds `holds`, if anything.
fn check_field(holds: Holds, raw: &[u8]) -> Option<String> {
    let max = match holds {
        Holds::Code => MAX_CODE,
        Holds::Text | Holds::Lines => MAX_TEXT,
    };
    // Nearly every value is printable ASCII within its length: nothing more to look at.
    if raw.len() <= max && raw.iter().all(|b| (b' '..=b'~').contains(b)) {
        return None;
    }
    let Ok(text) = std::str::from_utf8(raw) else {
        return Some("not UTF-8 text (save the extract as UTF-8)".into());
    };
    if text.len() > max {
        let chars = text.chars().count();
        if chars > max {
            return Some(format!(
                "is {} characters long: at most {} are allowed here (`{}`)",
                group(chars),
                group(max),
                shown(text)
            ));
        }
    }
    // Text is shown through the command line's and the screen's sanitiser, so it may hold what
    // the housing system wrote, but for NUL, which ends a value early in much other software.
    let refused = |c: char| match holds {
        Holds::Code => c.is_control() || is_invisible(c),
        Holds::Text | Holds::Lines => c == '\0',
    };
    let (at, c) = text.chars().enumerate().find(|&(_, c)| refused(c))?;
    let what = match holds {
        Holds::Code => {
            "ids, references, codes, amounts and dates may hold only printable characters"
        }
        Holds::Text | Holds::Lines => "text may not hold NUL",
    };
    let kind = if c.is_control() {
        "a control character"
    } else {
        "an invisible character"
    };
    Some(format!(
        "holds {kind} (U+{:04X}) at character {}: {what}",
        u32::from(c),
        at + 1
    ))
}

/// Characters that show as nothing, so two values that differ by one look the same: soft
/// hyphen, zero-width spaces and joiners, direction marks and overrides, the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// One row being read: each accessor records a problem against the row's line and column.
pub struct Row<'a> {
    spec: &'static FileSpec,
    index: &'a [Option<usize>],
    record: &'a Record,
    pub line: u64,
    problems: &'a mut Problems,
    bad: bool,
}

impl<'a> Row<'a> {
    /// False once any field of the row had a problem.
    pub fn ok(&self) -> bool {
        !self.bad
    }

    /// The row could not be split into fields as written (reported already): only its key is
    /// worth reading, so that rows referring to it are not reported too.
    pub fn broken(&self) -> bool {
        self.record.broken
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

    /// The field, trimmed; `None` when it was refused (a problem already reported), empty when
    /// the column is absent.
    fn field(&self, name: &str) -> Option<&'a str> {
        let (_, at) = self.column(name);
        let record = self.record;
        let Some(at) = at.filter(|&i| i < record.len()) else {
            return Some("");
        };
        if record.refused[at] {
            return None;
        }
        let raw = record.get(at).unwrap_or_default();
        Some(std::str::from_utf8(raw).map_or("", str::trim))
    }

    /// The field as written, even if it was refused (with any bad bytes replaced), trimmed: the
    /// key of a row that could not be read, for rows that name it.
    pub fn raw(&self, name: &str) -> String {
        let (_, at) = self.column(name);
        at.and_then(|i| self.record.get(i))
            .map(|raw| String::from_utf8_lossy(raw).trim().to_string())
            .unwrap_or_default()
    }

    /// The field, trimmed; empty when the column is absent or the field was refused.
    pub fn text(&mut self, name: &str) -> &'a str {
        self.field(name).unwrap_or("")
    }

    /// A field that must not be empty.
    pub fn required(&mut self, name: &str) -> Option<&'a str> {
        let text = self.field(name)?;
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
        let text = self.field(name)?;
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
