//! Text from the data (names, addresses, notes, and messages that quote them) made safe to show on
//! a terminal. An imported name can carry `ESC[2J`, a window title or a clipboard write; a terminal
//! obeys such sequences, so nothing printed may contain one. The command line prints only through
//! [`text`] (see `cli::outln!`); the screen draws through ratatui, which drops the same characters
//! (a test in `ui` holds it to [`is_unsafe`]).

use std::borrow::Cow;

/// Characters a terminal may act on rather than show: C0 controls other than tab and newline
/// (ESC, BEL, backspace, carriage return...), DEL, C1 controls (8-bit CSI, OSC...), and the bidi
/// overrides and isolates that make text read differently from what it holds.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What is shown instead of an unsafe character: a C0 control or DEL as its picture (`␛`, `␇`,
/// `␡`), so that a tampered name shows what it held; anything else as `�`.
fn shown_as(c: char) -> char {
    match c {
        '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// The text with every unsafe character replaced by a visible stand-in. Tabs and line breaks stay
/// (a carriage return only as part of `\r\n`). Borrows when there is nothing to replace.
pub fn text(s: &str) -> Cow<'_, str> {
    neutralise(s, false)
}

/// The same for one line of a table: tabs and line breaks become spaces too.
pub fn line(s: &str) -> Cow<'_, str> {
    neutralise(s, true)
}

fn neutralise(s: &str, one_line: bool) -> Cow<'_, str> {
    let breaks = |c: char| one_line && matches!(c, '\t' | '\n' | '\r');
    let bad = |c: char| is_unsafe(c) || breaks(c);
    let Some(first) = s.find(bad) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    let mut chars = s[first..].chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if breaks(c) {
            ' '
        } else if c == '\r' && chars.peek() == Some(&'\n') {
            c
        } else if is_unsafe(c) {
            shown_as(c)
        } else {
            c
        });
    }
    Cow::Owned(out)
}

/// JSON made safe for a terminal without changing what it says: every unsafe character (only ever
/// inside a string, since the rest of JSON is plain ASCII) is written as its `\uXXXX` escape.
/// serde_json already escapes C0 controls; this adds DEL, C1 and the bidi controls.
pub fn json(s: &str) -> Cow<'_, str> {
    if !s.contains(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a hostile extract puts in a name: clear screen, a window title, a clipboard write,
    /// an 8-bit CSI, DEL and a right-to-left override.
    const HOSTILE: &str =
        "Ada\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;ZWNobw==\u{7}\u{9b}31m\u{7f}\u{202e}gnp.exe";

    #[test]
    fn nothing_a_terminal_obeys_survives() {
        let shown = text(HOSTILE);
        assert!(!shown.contains(is_unsafe), "{shown:?}");
        assert_eq!(
            shown,
            "Ada␛[2J␛]0;pwned␇␛]52;c;ZWNobw==␇\u{fffd}31m␡\u{fffd}gnp.exe"
        );
        assert!(!shown.as_bytes().contains(&0x1b));
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let plain = "Zoë O'Brien-Ng, 12 Rue Café\tflat 3\nsecond line\n£1,234.56 ✓ عربى";
        assert!(matches!(text(plain), Cow::Borrowed(s) if s == plain));
    }

    #[test]
    fn a_lone_carriage_return_is_shown_not_obeyed() {
        // A bare CR would let the rest of a line overwrite its start.
        assert_eq!(text("paid\rowes"), "paid␍owes");
        assert_eq!(text("a\r\nb"), "a\r\nb");
    }

    #[test]
    fn a_table_line_keeps_to_one_line() {
        assert_eq!(line("Flat 1\nHigh St\tX\r\n\u{1b}"), "Flat 1 High St X  ␛");
    }

    #[test]
    fn json_escapes_keep_the_data_and_lose_the_danger() {
        let value = serde_json::json!({ "name": HOSTILE });
        let printed = serde_json::to_string_pretty(&value).unwrap();
        let safe = json(&printed);
        assert!(!safe.contains(is_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
