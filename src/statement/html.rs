//! The statement as one printable HTML page: A4, the column headings repeated on every page,
//! page numbers in the footer, no scripts and nothing fetched from elsewhere.

use super::Statement;
use crate::domain::Money;
use crate::domain::dates::uk;
use std::fmt::Write;

const STYLE: &str = r#"
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; color: #444; }
}
* { box-sizing: border-box; }
body { font: 10pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
.who { display: flex; justify-content: space-between; gap: 10mm; margin-bottom: 6mm; }
.who p { margin: 0; }
dl { display: grid; grid-template-columns: auto auto; gap: 0.5mm 4mm; margin: 0; }
dt { color: #444; } dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
th { text-align: left; border-bottom: 1.5pt solid #111; padding: 1.5mm 2mm; font-weight: 600; }
td { padding: 1mm 2mm; border-bottom: 0.5pt solid #ccc; vertical-align: top; }
tr { break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
.date { white-space: nowrap; width: 22mm; }
tr.change td { border-bottom: none; font-style: italic; padding-bottom: 0; }
tr.total td { border-top: 1.5pt solid #111; border-bottom: none; font-weight: 600; }
.summary { margin-top: 6mm; font-size: 11pt; font-weight: 600; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
"#;

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A CSS string literal; `<` is escaped too, so no text can close the style element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '\n' => {
                let _ = write!(out, "\\{:X} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn amount(m: Money) -> String {
    if m.is_zero() {
        String::new()
    } else {
        esc(&m.format())
    }
}

pub(super) fn render(s: &Statement) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_all(s, &mut out);
    out
}

fn write_all(s: &Statement, out: &mut String) -> std::fmt::Result {
    let title = format!("{} · {}", s.title(), s.reference);
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>")?;
    writeln!(
        out,
        "<meta charset=\"utf-8\">\n<title>{}</title>",
        esc(&title)
    )?;
    let footer = css_string(&format!("{title} · issued {}", uk(s.to)));
    writeln!(
        out,
        "<style>{STYLE}@page {{ @bottom-left {{ content: {footer}; font: 9pt sans-serif; color: #444; }} }}\n</style>\n</head>\n<body>"
    )?;
    writeln!(out, "<h1>{}</h1>", esc(s.title()))?;
    writeln!(out, "<div class=\"who\">\n<p>")?;
    for name in &s.tenants {
        writeln!(out, "{}<br>", esc(name))?;
    }
    writeln!(out, "{}<br>{}</p>", esc(&s.address), esc(&s.postcode))?;
    writeln!(out, "<dl>")?;
    let mut item = |term: &str, value: String| writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    item("Tenancy", esc(&s.reference))?;
    item("Tenure", esc(s.tenure.label()))?;
    item("Account", esc(&s.account_words()))?;
    item("Weekly charge", esc(&s.weekly_charge.format()))?;
    item("Period", format!("{} to {}", uk(s.from), uk(s.to)))?;
    if s.court {
        let began = s.arrears_began.map_or_else(|| "not in arrears".into(), uk);
        item("Arrears began", began)?;
    }
    item("Date of issue", uk(s.to))?;
    writeln!(out, "</dl>\n</div>")?;

    writeln!(
        out,
        "<table>\n<thead><tr><th class=\"date\">Date</th><th>Description</th>"
    )?;
    writeln!(
        out,
        "<th class=\"num\">Debit</th><th class=\"num\">Credit</th><th class=\"num\">Balance</th></tr></thead>\n<tbody>"
    )?;
    row(
        out,
        "",
        &uk(s.from),
        "Balance brought forward",
        "",
        "",
        &esc(&s.brought_forward.format_balance()),
    )?;
    for line in &s.lines {
        if let Some((was, now)) = line.charge_change {
            let note = format!("Weekly charge changed from {was} to {now}");
            row(out, "change", "", &esc(&note), "", "", "")?;
        }
        row(
            out,
            "",
            &uk(line.date),
            &esc(&line.description),
            &amount(line.debit),
            &amount(line.credit),
            &esc(&line.balance.format_balance()),
        )?;
    }
    row(
        out,
        "total",
        &uk(s.to),
        "Totals and balance",
        &esc(&s.total_debits.format()),
        &esc(&s.total_credits.format()),
        &esc(&s.closing.format_balance()),
    )?;
    writeln!(out, "</tbody>\n</table>")?;
    let weeks = s
        .weeks()
        .filter(|_| s.closing.is_positive())
        .map(|w| format!(" ({w} weeks of the weekly charge)"))
        .unwrap_or_default();
    let what = if s.court {
        "Arrears at the date of issue"
    } else {
        "Balance"
    };
    writeln!(
        out,
        "<p class=\"summary\">{what}, {}: {}{}</p>",
        uk(s.to),
        esc(&s.closing.format_balance()),
        esc(&weeks)
    )?;
    writeln!(out, "</body>\n</html>")
}

fn row(
    out: &mut String,
    class: &str,
    date: &str,
    description: &str,
    debit: &str,
    credit: &str,
    balance: &str,
) -> std::fmt::Result {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    writeln!(
        out,
        "<tr{class}><td class=\"date\">{date}</td><td>{description}</td><td class=\"num\">{debit}</td><td class=\"num\">{credit}</td><td class=\"num\">{balance}</td></tr>"
    )
}
