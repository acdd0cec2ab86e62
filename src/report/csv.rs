//! The report as CSV, one row for the total and one for each patch and officer, every column.

use super::COLUMNS;
use crate::domain::kpi::Summary;

pub fn render(s: &Summary) -> String {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["level", "name", "from", "to"];
    header.extend(COLUMNS.iter().map(|c| c.heading));
    let _ = out.write_record(&header);
    let (from, to) = (
        crate::domain::dates::iso(s.period.from),
        crate::domain::dates::iso(s.period.to),
    );
    let total = [("total".to_string(), s.scope.describe(), &s.total)];
    let rows = total
        .iter()
        .map(|(l, n, t)| (l.as_str(), n.as_str(), *t))
        .chain(
            s.by_patch
                .iter()
                .map(|(n, t)| ("patch", n.as_str(), t))
                .chain(s.by_officer.iter().map(|(n, t)| ("officer", n.as_str(), t))),
        );
    for (level, name, tally) in rows {
        let mut record = vec![
            level.to_string(),
            name.to_string(),
            from.clone(),
            to.clone(),
        ];
        record.extend(COLUMNS.iter().map(|c| (c.value)(tally).plain()));
        let _ = out.write_record(&record);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
