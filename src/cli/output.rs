//! The only way the command line prints: every line passes through [`printable`] first, so no
//! control sequence from the data (a tenant's name, an imported comment, a file name) reaches the
//! officer's terminal. The crate denies `println!` and `eprintln!` everywhere else.

use crate::printable;
use std::io::Write;

/// `println!` for what the command line prints on standard output.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::output::out(&format!($($arg)*)) };
}

/// `eprintln!` for messages and errors on standard error.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::err(&format!($($arg)*)) };
}

/// A line (or several) on standard output.
pub fn out(text: &str) {
    write_out(text, "\n");
}

/// A whole document (a statement) on standard output, exactly as it ends.
pub fn document(text: &str) {
    write_out(text, "");
}

/// A reader that stops early (`| head`) ends the program quietly, as for any Unix tool, rather
/// than with a panic; a file it was sent to that cannot take it (a full disk) is said, and the
/// program ends with a failure, so a script never takes what was written for the whole.
#[allow(clippy::print_stdout)]
fn write_out(text: &str, end: &str) {
    let mut stdout = std::io::stdout().lock();
    match write!(stdout, "{}{end}", printable::text(text)).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            err(&format!(
                "caseload: standard output could not be written, so it is incomplete: {e}"
            ));
            std::process::exit(1)
        }
    }
}

/// JSON on standard output: the same data, with anything a terminal would obey escaped.
pub fn json<T: serde::Serialize>(value: &T) -> serde_json::Result<()> {
    out(&printable::json(&serde_json::to_string_pretty(value)?));
    Ok(())
}

#[allow(clippy::print_stderr)]
pub fn err(text: &str) {
    eprintln!("{}", printable::text(text));
}

/// A progress line on standard error, redrawn in place (the carriage return is ours, not data's).
#[allow(clippy::print_stderr)]
pub fn progress(text: &str) {
    eprint!("\r{}", printable::line(text));
}
