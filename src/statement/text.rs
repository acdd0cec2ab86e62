//! The statement as plain text, for the terminal and for pasting into a letter.

use super::Statement;
use crate::domain::Money;
use crate::domain::dates::uk;
use std::fmt::Write;

const RULE: &str =
    "------------------------------------------------------------------------------------------";

fn amount(m: Money) -> String {
    if m.is_zero() {
        String::new()
    } else {
        m.format()
    }
}

pub(super) fn render(s: &Statement) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_all(s, &mut out);
    out
}

fn write_all(s: &Statement, out: &mut String) -> std::fmt::Result {
    writeln!(out, "{}", s.title().to_uppercase())?;
    writeln!(
        out,
        "Tenancy {} · {} tenancy · {}",
        s.reference,
        s.tenure.label(),
        s.account_words()
    )?;
    for name in &s.tenants {
        writeln!(out, "{name}")?;
    }
    writeln!(out, "{} {}", s.address, s.postcode)?;
    writeln!(
        out,
        "From {} to {} · weekly charge {}",
        uk(s.from),
        uk(s.to),
        s.weekly_charge
    )?;
    if s.court {
        match s.arrears_began {
            Some(began) => writeln!(out, "Arrears began on {}", uk(began))?,
            None => writeln!(out, "The account is not in arrears")?,
        }
    }
    writeln!(out, "{RULE}")?;
    writeln!(
        out,
        "{:<10}  {:<38} {:>12} {:>12} {:>13}",
        "Date", "Description", "Debit", "Credit", "Balance"
    )?;
    writeln!(out, "{RULE}")?;
    writeln!(
        out,
        "{:<10}  {:<38} {:>12} {:>12} {:>13}",
        uk(s.from),
        "Balance brought forward",
        "",
        "",
        s.brought_forward.format_balance()
    )?;
    for line in &s.lines {
        if let Some((was, now)) = line.charge_change {
            writeln!(
                out,
                "{:<10}  * weekly charge changed from {was} to {now}",
                ""
            )?;
        }
        let description: String = line.description.chars().take(38).collect();
        writeln!(
            out,
            "{:<10}  {description:<38} {:>12} {:>12} {:>13}",
            uk(line.date),
            amount(line.debit),
            amount(line.credit),
            line.balance.format_balance()
        )?;
    }
    writeln!(out, "{RULE}")?;
    writeln!(
        out,
        "{:<10}  {:<38} {:>12} {:>12} {:>13}",
        "",
        "Totals",
        s.total_debits.format(),
        s.total_credits.format(),
        ""
    )?;
    writeln!(
        out,
        "{:<10}  {:<38} {:>12} {:>12} {:>13}",
        uk(s.to),
        "Balance",
        "",
        "",
        s.closing.format_balance()
    )?;
    writeln!(out, "{RULE}")?;
    let weeks = s
        .weeks()
        .filter(|_| s.closing.is_positive())
        .map(|w| format!(" ({w} weeks of the weekly charge)"))
        .unwrap_or_default();
    if s.court {
        writeln!(
            out,
            "Arrears at the date of issue, {}: {}{weeks}",
            uk(s.to),
            s.closing.format_balance()
        )
    } else {
        writeln!(
            out,
            "Balance on {}: {}{weeks}",
            uk(s.to),
            s.closing.format_balance()
        )
    }
}
