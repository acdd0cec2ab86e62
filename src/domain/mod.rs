//! Pure rules, no I/O: everything here is decided from values passed in, "today" included.

pub mod actions;
pub mod affordability;
pub mod arrears;
pub mod breach;
pub mod calendar;
pub mod codes;
pub mod contact;
pub mod dates;
pub mod dd;
pub mod kpi;
pub mod ledger;
pub mod letter;
pub mod money;
pub mod plan;
pub mod plan_draft;
pub mod plan_schedule;
pub mod policy;
pub mod promise;
pub mod reassign;
pub mod record;
pub mod recovery;
pub mod sms;
pub mod tenancy;

pub use money::Money;

/// A label as it reads mid-sentence: "Send letter 1" → "send letter 1", but "SMS" and
/// "Send SMS" keep their capitals.
pub fn mid_sentence(label: &str) -> String {
    label
        .split(' ')
        .map(|word| {
            let capitals = word.chars().filter(|c| c.is_uppercase()).count();
            if capitals > 1 {
                word.to_string()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::mid_sentence;

    #[test]
    fn mid_sentence_keeps_acronyms() {
        assert_eq!(mid_sentence("Send letter 1"), "send letter 1");
        assert_eq!(mid_sentence("SMS"), "SMS");
        assert_eq!(mid_sentence("Send SMS"), "send SMS");
        assert_eq!(mid_sentence("Apply for court date"), "apply for court date");
        assert_eq!(mid_sentence("NOSP served"), "NOSP served");
    }
}
