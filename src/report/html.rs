//! The report as one printable HTML page (A4): the figures in words, the charts as SVG written
//! here by hand (a line and three bar charts are a few lines each; a plotting crate would add a
//! large dependency tree for them), and the tables by patch and by officer. No scripts, nothing
//! fetched from elsewhere.

use super::{COLUMNS, Summary, title, words};
use crate::domain::kpi::{Band, Tally, show_percent};
use crate::statement::esc;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font: 9.5pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0; }
h1 { font-size: 15pt; margin: 0 0 1mm; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm; }
p.scope { margin: 0 0 3mm; color: #333; }
ul.words { margin: 0; padding-left: 5mm; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm 6mm; margin-top: 3mm; }
figure { margin: 0; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 1mm; }
svg { width: 100%; height: auto; }
svg text { font: 9px sans-serif; fill: #111; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 8.5pt; }
th { text-align: right; border-bottom: 1pt solid #111; padding: 1mm 1.5mm; font-weight: 600; }
td { text-align: right; padding: 0.8mm 1.5mm; border-bottom: 0.4pt solid #ccc; }
th:first-child, td:first-child { text-align: left; }
tr { break-inside: avoid; }
@media screen { body { max-width: 190mm; margin: 8mm auto; } }
"#;

/// The columns the page's tables show (the CSV has every one).
const SHOWN: &[&str] = &[
    "Tenancies",
    "Collection rate",
    "Arrears",
    "Arrears % of roll",
    "Former tenant arrears",
    "Promises kept",
    "Promises broken",
    "Plans breached",
    "Contacts",
    "Notices served",
];

pub fn render(s: &Summary) -> String {
    let mut out = String::new();
    let _ = page(&mut out, s);
    out
}

fn page(out: &mut String, s: &Summary) -> std::fmt::Result {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(out, "<title>The team's numbers: {}</title>", esc(&title(s)))?;
    writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>")?;
    writeln!(out, "<h1>The team's numbers</h1>")?;
    writeln!(out, "<p class=\"scope\">{}</p>", esc(&title(s)))?;
    writeln!(out, "<ul class=\"words\">")?;
    for line in words(s) {
        writeln!(out, "<li>{}</li>", esc(&line))?;
    }
    writeln!(out, "</ul>\n<div class=\"charts\">")?;
    let arrears: Vec<(String, Option<Decimal>)> = s
        .trend
        .iter()
        .map(|w| {
            (
                w.week.format("%d/%m/%y").to_string(),
                w.tally.arrears_of_roll(),
            )
        })
        .collect();
    figure(
        out,
        "Arrears as % of the rent roll, week by week",
        &line(&arrears),
    )?;
    let collection: Vec<Bar> = s
        .trend
        .iter()
        .map(|w| Bar {
            label: w.week.format("%d/%m").to_string(),
            value: w.tally.collection_rate(),
            text: show_percent(w.tally.collection_rate()),
        })
        .collect();
    figure(out, "Collection rate by week", &bars(&collection, false))?;
    let bands: Vec<Bar> = Band::ALL
        .iter()
        .map(|b| {
            let n = s.total.band(*b).accounts;
            Bar {
                label: b.short().into(),
                value: Some(Decimal::from(n)),
                text: n.to_string(),
            }
        })
        .collect();
    figure(
        out,
        "Current rent accounts by weeks owed",
        &bars(&bands, true),
    )?;
    let officers: Vec<Bar> = s
        .by_officer
        .iter()
        .map(|(name, t)| Bar {
            label: name.clone(),
            value: t.arrears_of_roll(),
            text: show_percent(t.arrears_of_roll()),
        })
        .collect();
    figure(
        out,
        "Officers: arrears as % of their rent roll",
        &bars(&officers, true),
    )?;
    writeln!(out, "</div>")?;
    table(out, "By patch", "Patch", &s.by_patch)?;
    table(out, "By officer", "Officer", &s.by_officer)?;
    writeln!(out, "</body>\n</html>")
}

fn figure(out: &mut String, caption: &str, svg: &str) -> std::fmt::Result {
    writeln!(
        out,
        "<figure><figcaption>{}</figcaption>\n{svg}</figure>",
        esc(caption)
    )
}

fn table(
    out: &mut String,
    heading: &str,
    what: &str,
    rows: &[(String, Tally)],
) -> std::fmt::Result {
    let columns: Vec<_> = COLUMNS
        .iter()
        .filter(|c| SHOWN.contains(&c.heading))
        .collect();
    writeln!(
        out,
        "<h2>{heading}</h2>\n<table>\n<thead><tr><th>{what}</th>"
    )?;
    for c in &columns {
        write!(out, "<th>{}</th>", esc(c.heading))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for (name, tally) in rows {
        write!(out, "<tr><td>{}</td>", esc(name))?;
        for c in &columns {
            write!(out, "<td>{}</td>", esc(&(c.value)(tally).shown()))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table>")
}

/// Drawing space of every chart, in SVG units; the page scales it to the column.
const W: f64 = 360.0;
const H: f64 = 170.0;
const LEFT: f64 = 34.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 14.0;

fn number(d: Option<Decimal>) -> f64 {
    d.and_then(|d| d.to_f64()).unwrap_or(0.0)
}

/// The axes, and the y scale's top labelled.
fn frame(top: f64, unit: &str) -> String {
    format!(
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{y}\" stroke=\"#111\"/>\
         <line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{W}\" y2=\"{y}\" stroke=\"#111\"/>\
         <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{top}{unit}</text>\
         <text x=\"{tx}\" y=\"{y}\" text-anchor=\"end\">0{unit}</text>",
        y = H - BOTTOM,
        tx = LEFT - 3.0,
        ty = TOP + 3.0,
    )
}

/// A line over the weeks, its first and last points labelled with their values.
fn line(points: &[(String, Option<Decimal>)]) -> String {
    let mut svg = format!("<svg viewBox=\"0 0 {W} {H}\" role=\"img\">");
    if points.is_empty() {
        svg.push_str("<text x=\"40\" y=\"80\">No weeks yet.</text></svg>");
        return svg;
    }
    let top = points
        .iter()
        .map(|p| number(p.1))
        .fold(1.0_f64, f64::max)
        .ceil();
    let step = (W - LEFT - 8.0) / (points.len().max(2) - 1) as f64;
    let at = |i: usize, v: f64| {
        (
            LEFT + step * i as f64,
            H - BOTTOM - (v / top) * (H - BOTTOM - TOP),
        )
    };
    svg.push_str(&frame(top, "%"));
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = at(i, number(p.1));
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#b3261e\" stroke-width=\"1.5\"/>",
        path.join(" ")
    );
    for i in [0, points.len() - 1] {
        let (x, y) = at(i, number(points[i].1));
        let anchor = if i == 0 { "start" } else { "end" };
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2\" fill=\"#b3261e\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            y - 5.0,
            esc(&show_percent(points[i].1)),
            H - 8.0,
            esc(&points[i].0),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One bar of a chart: its label beneath, its value (for the height) and its figure as text.
struct Bar {
    label: String,
    value: Option<Decimal>,
    text: String,
}

/// Bars from zero; with `labelled` each bar carries its figure and its label (few bars),
/// otherwise every fourth label is shown (a year of weeks).
fn bars(items: &[Bar], labelled: bool) -> String {
    let mut svg = format!("<svg viewBox=\"0 0 {W} {H}\" role=\"img\">");
    if items.is_empty() {
        svg.push_str("<text x=\"40\" y=\"80\">No figures yet.</text></svg>");
        return svg;
    }
    let top = items
        .iter()
        .map(|b| number(b.value))
        .fold(1.0_f64, f64::max)
        .ceil();
    let unit = if items.iter().any(|b| b.text.ends_with('%')) {
        "%"
    } else {
        ""
    };
    svg.push_str(&frame(top, unit));
    let slot = (W - LEFT - 4.0) / items.len() as f64;
    let width = (slot * 0.7).max(1.0);
    for (i, b) in items.iter().enumerate() {
        let height = number(b.value).max(0.0) / top * (H - BOTTOM - TOP);
        let x = LEFT + 2.0 + slot * i as f64 + (slot - width) / 2.0;
        let y = H - BOTTOM - height;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" fill=\"#2f5d8a\"><title>{}: {}</title></rect>",
            esc(&b.label),
            esc(&b.text)
        );
        let centre = x + width / 2.0;
        if labelled {
            let _ = write!(
                svg,
                "<text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                y - 3.0,
                esc(&b.text)
            );
        }
        if labelled || i % 4 == 0 {
            let _ = write!(
                svg,
                "<text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                H - BOTTOM + 11.0,
                esc(&b.label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}
