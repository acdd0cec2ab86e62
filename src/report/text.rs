//! The report as plain text: the headline sentences, the bands, then a table by patch and one
//! by officer (a few key columns; the CSV has them all).

use super::{COLUMNS, sentences, title};
use crate::domain::kpi::{Band, Summary, Tally};
use std::fmt::Write;

/// The columns the text tables show, by heading.
const SHOWN: &[&str] = &[
    "Tenancies",
    "Collection rate",
    "Arrears",
    "Arrears % of roll",
    "Promises kept",
    "Promises broken",
    "Plans breached",
    "Contacts",
    "Notices served",
];

pub fn render(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "The team's numbers: {}\n", title(s));
    for line in sentences(&s.total) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\nCurrent rent accounts by arrears");
    for band in Band::ALL {
        let b = s.total.band(band);
        let _ = writeln!(
            out,
            "  {:<16} {:>7}  {:>14}",
            band.label(),
            b.accounts,
            b.owed.format()
        );
    }
    table(&mut out, "Patch", &s.by_patch);
    table(&mut out, "Officer", &s.by_officer);
    out
}

fn table(out: &mut String, what: &str, rows: &[(String, Tally)]) {
    let columns: Vec<_> = COLUMNS
        .iter()
        .filter(|c| SHOWN.contains(&c.heading))
        .collect();
    let mut cells: Vec<Vec<String>> = vec![
        std::iter::once(what.to_string())
            .chain(columns.iter().map(|c| c.heading.to_string()))
            .collect(),
    ];
    for (name, tally) in rows {
        cells.push(
            std::iter::once(name.clone())
                .chain(columns.iter().map(|c| (c.value)(tally).shown()))
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..cells[0].len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let _ = writeln!(out);
    for row in &cells {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                if i == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
}
