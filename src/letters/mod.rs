//! Letters and texts. A letter is made from its template for one tenancy's case, one for each
//! tenant (or one joint letter, where the landlord's practice is that), in the letter's language
//! (Welsh first when bilingual); it is checked against what protects the tenant (no demand in a
//! breathing space; a person's check for a tenant flagged vulnerable); then it is written
//! owner-only under `letters/DATE/` beside the database and recorded with each file's content
//! hash, so the case history links to exactly what was sent. A letter that cannot be made (a
//! template error, a value the case lacks) is a failure with its reason, recorded as
//! `letter_failed`, never a blank in a posted letter. Texts go to the day's `sms.csv` for the
//! landlord's SMS gateway, their length checked as the network counts it.
//!
//! [`prepare`] makes a letter in memory (the workstation shows it before anything is written);
//! [`produce`] writes and records what was prepared; [`batch`] does both for the day's queue.

pub mod batch;
mod fields;
mod output;
mod templates;
mod text;

pub use fields::Gap;
pub use output::{Failed, Options, ProduceError, Produced, Ready, folder_of, produce, sha256};
pub use templates::{Failure, Templates};
pub use text::as_text;

use crate::config::{Config, Joint, Landlord, LetterSettings};
use crate::domain::letter::{LetterKind, Protection};
use crate::domain::sms::Size;
use crate::statement::StatementError;
use crate::store::Store;
use chrono::NaiveDate;
use fields::{Case, Fields};
use minijinja::Value;
use minijinja::value::Serde;
use std::path::Path;

/// What letters are made with: the templates and the settings, read once.
#[derive(Debug)]
pub struct Letters {
    pub templates: Templates,
    pub landlord: Landlord,
    pub settings: LetterSettings,
    pub breach_tolerance_days: u32,
    pub promise_tolerance_days: u32,
}

impl Letters {
    /// From the config read at `config_path`: the landlord's templates are in the `templates`
    /// folder beside it.
    pub fn new(config: &Config, config_path: &Path) -> Letters {
        let folder = config_path
            .parent()
            .map(|dir| dir.join("templates"))
            .filter(|dir| dir.is_dir());
        Letters {
            templates: Templates::new(folder),
            landlord: config.landlord.clone(),
            settings: config.letters.clone(),
            breach_tolerance_days: config.plans.breach_tolerance_days.0,
            promise_tolerance_days: config.promises.tolerance_days.0,
        }
    }
}

/// One addressee's letter (or text), made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Made {
    /// The addressee's position on the tenancy (`None`: a joint letter to them all).
    pub tenant: Option<u32>,
    /// As addressed: "Mrs Ada Smith".
    pub recipient: String,
    /// The letter's sections, Welsh first when bilingual (empty for a text).
    pub html: String,
    /// The letter as plain text, or the text message.
    pub text: String,
    /// For a text: the phone it goes to and its size.
    pub sms: Option<(String, Size)>,
}

/// A letter made for a tenancy, not yet written or recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    pub tenancy_id: i64,
    pub reference: String,
    pub letter: LetterKind,
    pub made: Vec<Made>,
    pub protection: Protection,
}

/// Who produces a letter, and when.
#[derive(Clone, Copy, Debug)]
pub struct Producing<'a> {
    pub today: NaiveDate,
    pub officer: &'a str,
}

/// Makes the letter of `kind` for a tenancy. The outer error is a failure to read the case; the
/// inner one, a letter that cannot be made (to be recorded as failed).
pub fn prepare(
    store: &Store,
    letters: &Letters,
    tenancy_id: i64,
    kind: LetterKind,
    by: Producing<'_>,
) -> Result<Result<Prepared, Failure>, StatementError> {
    let settings = fields::Settings {
        landlord: &letters.landlord,
        letters: &letters.settings,
        today: by.today,
        officer: by.officer,
        breach_tolerance_days: letters.breach_tolerance_days,
        promise_tolerance_days: letters.promise_tolerance_days,
    };
    let Some(case) = Case::read(store, tenancy_id, kind, &settings)? else {
        return Ok(Err(Failure {
            reason: "the tenancy is no longer in the database".into(),
            in_settings: false,
        }));
    };
    Ok(make(&case, kind, letters, &settings).map(|made| Prepared {
        tenancy_id,
        reference: case.record.details.reference.clone(),
        letter: kind,
        made,
        protection: Protection::of(kind, &case.record.details.flags, by.today),
    }))
}

/// Each addressee's letter (or text), or the first failure.
fn make(
    case: &Case,
    kind: LetterKind,
    letters: &Letters,
    settings: &fields::Settings<'_>,
) -> Result<Vec<Made>, Failure> {
    let tenants = &case.record.tenants;
    if tenants.is_empty() {
        return Err(Failure {
            reason: "the tenancy has no tenant to write to".into(),
            in_settings: false,
        });
    }
    let positions = 1..=u32::try_from(tenants.len()).unwrap_or(u32::MAX);
    let addressees: Vec<Vec<u32>> = if kind.is_sms() {
        // A text goes to each tenant with a mobile number.
        positions
            .zip(tenants)
            .filter(|(_, t)| mobile(t).is_some())
            .map(|(p, _)| vec![p])
            .collect()
    } else {
        match letters.settings.joint {
            Joint::Each => positions.map(|p| vec![p]).collect(),
            Joint::One => vec![positions.collect()],
        }
    };
    if addressees.is_empty() {
        return Err(Failure {
            reason: "no tenant has a mobile phone number to text".into(),
            in_settings: false,
        });
    }
    let name = kind.template();
    addressees
        .iter()
        .map(|to| {
            let mut parts = Vec::new();
            let mut recipient = String::new();
            for language in letters.settings.language.parts() {
                let (fields, gaps) = Fields::build(case, kind, to, language, settings);
                recipient.clone_from(&fields.tenant.name);
                let value = Value::from(Serde(&fields));
                let template = templates::in_language(&name, language);
                parts.push(letters.templates.render(&template, &value, &gaps)?);
            }
            let tenant = (to.len() == 1).then(|| to[0]);
            if kind.is_sms() {
                let person = &tenants[to[0] as usize - 1];
                let text = parts
                    .iter()
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("\n");
                let size = Size::of(&text);
                let most = letters.settings.sms_max_segments.0 as usize;
                if size.segments > most {
                    return Err(Failure {
                        reason: format!(
                            "the text is {} (at most {most} allowed by [letters] \
                             sms_max_segments)",
                            size.describe(&text)
                        ),
                        in_settings: false,
                    });
                }
                let phone = mobile(person).unwrap_or_default().to_string();
                return Ok(Made {
                    tenant,
                    recipient,
                    html: String::new(),
                    text,
                    sms: Some((phone, size)),
                });
            }
            let html = parts.concat();
            Ok(Made {
                tenant,
                recipient,
                text: as_text(&html),
                html,
                sms: None,
            })
        })
        .collect()
}

/// The tenant's mobile number: the first of their numbers that is one.
fn mobile(t: &crate::domain::tenancy::Tenant) -> Option<&str> {
    [t.phone.as_deref(), t.phone2.as_deref()]
        .into_iter()
        .flatten()
        .find(|p| {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            digits.starts_with("07") || digits.starts_with("447")
        })
}
