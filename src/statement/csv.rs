//! The statement as CSV, for a spreadsheet: one row per entry, brought forward first, totals last.

use super::Statement;
use crate::domain::dates::iso;
use crate::extract::records::plain;

pub(super) fn render(s: &Statement) -> String {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let amount = |m: crate::domain::Money| if m.is_zero() { String::new() } else { plain(m) };
    let mut rows: Vec<[String; 6]> = vec![
        ["date", "description", "debit", "credit", "balance", "note"].map(String::from),
        [
            iso(s.from),
            "Balance brought forward".into(),
            String::new(),
            String::new(),
            plain(s.brought_forward),
            String::new(),
        ],
    ];
    for line in &s.lines {
        let note = line
            .charge_change
            .map(|(was, now)| format!("weekly charge changed from {was} to {now}"))
            .unwrap_or_default();
        rows.push([
            iso(line.date),
            line.description.clone(),
            amount(line.debit),
            amount(line.credit),
            plain(line.balance),
            note,
        ]);
    }
    rows.push([
        iso(s.to),
        "Totals".into(),
        plain(s.total_debits),
        plain(s.total_credits),
        plain(s.closing),
        String::new(),
    ]);
    for row in &rows {
        // Writing to memory cannot fail.
        let _ = out.write_record(row);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
