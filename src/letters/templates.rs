//! The letter templates (minijinja, Jinja syntax). The shipped English set is built into the
//! program; a file of the same name in the landlord's `templates/` folder beside the config
//! replaces that one template (`templates/letter_1.html`), and Welsh templates are read from
//! `templates/cy/`. A template is read when a letter first needs it, so a broken one fails the
//! letters made from it, each with the reason, and nothing else.
//!
//! Undefined values are strict: printing a value the case does not have is an error, never a
//! blank in a posted letter (`{% if plan %}` and `is defined` still work for what is optional).

use super::fields::Gap;
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use std::path::{Component, Path, PathBuf};

/// The shipped templates, by name.
const SHIPPED: &[(&str, &str)] = &[
    (
        "page.html",
        include_str!("../../assets/templates/page.html"),
    ),
    (
        "base.html",
        include_str!("../../assets/templates/base.html"),
    ),
    (
        "letter_1.html",
        include_str!("../../assets/templates/letter_1.html"),
    ),
    (
        "letter_2.html",
        include_str!("../../assets/templates/letter_2.html"),
    ),
    (
        "court_warning_letter.html",
        include_str!("../../assets/templates/court_warning_letter.html"),
    ),
    (
        "informal_breach_letter.html",
        include_str!("../../assets/templates/informal_breach_letter.html"),
    ),
    (
        "court_breach_letter.html",
        include_str!("../../assets/templates/court_breach_letter.html"),
    ),
    (
        "notice_cover_letter.html",
        include_str!("../../assets/templates/notice_cover_letter.html"),
    ),
    (
        "plan_agreed.html",
        include_str!("../../assets/templates/plan_agreed.html"),
    ),
    (
        "promise_confirmed.html",
        include_str!("../../assets/templates/promise_confirmed.html"),
    ),
    (
        "statement_cover_letter.html",
        include_str!("../../assets/templates/statement_cover_letter.html"),
    ),
    (
        "former_tenant_arrears.html",
        include_str!("../../assets/templates/former_tenant_arrears.html"),
    ),
    (
        "sms_reminder.txt",
        include_str!("../../assets/templates/sms_reminder.txt"),
    ),
];

/// The shipped template of `name`, if there is one.
pub fn shipped(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    folder: Option<PathBuf>,
}

/// The name a letter's template has in a language: `letter_1.html`, or `cy/letter_1.html`.
pub fn in_language(name: &str, language: &str) -> String {
    if language == "en" {
        name.to_string()
    } else {
        format!("{language}/{name}")
    }
}

impl Templates {
    /// The shipped set, each replaced by a file of the same name in `folder` if there is one.
    pub fn new(folder: Option<PathBuf>) -> Templates {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.add_filter("date", date);
        let from = folder.clone();
        env.set_loader(move |name| load(from.as_deref(), name));
        Templates { env, folder }
    }

    /// The folder the landlord's templates are read from.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// Where `name` comes from: the landlord's file, or the shipped one.
    pub fn source_of(&self, name: &str) -> String {
        match self.folder.as_ref().map(|f| f.join(name)) {
            Some(path) if path.is_file() => path.display().to_string(),
            _ if shipped(name).is_some() => format!("the shipped {name}"),
            _ => format!("{name} (not found)"),
        }
    }

    /// Renders the template `name` with `fields`; a failure is said in words that name the gap
    /// it fell into, if it did.
    pub fn render(&self, name: &str, fields: &Value, gaps: &[Gap]) -> Result<String, Failure> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(fields))
            .map_err(|e| self.failure(&e, gaps))
    }

    /// Checks that `name` and whatever it extends or includes can be read and parsed.
    pub fn check(&self, name: &str) -> Result<(), Failure> {
        self.env
            .get_template(name)
            .map(|_| ())
            .map_err(|e| self.failure(&e, &[]))
    }

    fn failure(&self, e: &Error, gaps: &[Gap]) -> Failure {
        // The innermost error says where; the outer ones only that an include or block failed.
        let mut inner: &Error = e;
        while let Some(next) =
            std::error::Error::source(inner).and_then(|s| s.downcast_ref::<Error>())
        {
            inner = next;
        }
        let at = match (inner.name(), inner.line()) {
            (Some(name), Some(line)) => format!("{name} line {line}"),
            (Some(name), None) => name.to_string(),
            _ => "the template".to_string(),
        };
        let source_line = inner
            .name()
            .zip(inner.line())
            .and_then(|(name, line)| {
                let t = self.env.get_template(name).ok()?;
                t.source()
                    .lines()
                    .nth(line.checked_sub(1)?)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        match inner.kind() {
            ErrorKind::UndefinedError => {
                let hit: Vec<&Gap> = gaps
                    .iter()
                    .filter(|g| source_line.contains(g.field.as_str()))
                    .collect();
                if hit.is_empty() {
                    Failure {
                        reason: format!(
                            "{at} uses a value this case does not have: `{}`",
                            source_line.trim()
                        ),
                        in_settings: false,
                    }
                } else {
                    Failure {
                        reason: hit
                            .iter()
                            .map(|g| g.why.clone())
                            .collect::<Vec<_>>()
                            .join("; "),
                        in_settings: hit.iter().all(|g| g.in_settings),
                    }
                }
            }
            ErrorKind::TemplateNotFound => Failure {
                reason: format!(
                    "there is no template {}{}",
                    inner.detail().unwrap_or("of that name"),
                    self.folder
                        .as_ref()
                        .map_or(String::new(), |f| format!(" (looked in {})", f.display()))
                ),
                in_settings: true,
            },
            kind => Failure {
                reason: format!(
                    "{at} has an error: {}{}",
                    inner.detail().map_or(kind.to_string(), str::to_string),
                    if source_line.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" (`{}`)", source_line.trim())
                    }
                ),
                in_settings: kind == ErrorKind::SyntaxError,
            },
        }
    }
}

/// A letter that could not be made, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub reason: String,
    /// The cause is in the config or a template, so every letter of its kind fails alike.
    pub in_settings: bool,
}

/// Reads template `name`: the landlord's file of that name, else the shipped one. A name that
/// climbs out of the folder is not a template.
fn load(folder: Option<&Path>, name: &str) -> Result<Option<String>, Error> {
    let path = Path::new(name);
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Ok(None);
    }
    if let Some(file) = folder.map(|f| f.join(path))
        && file.is_file()
    {
        return std::fs::read_to_string(&file).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("cannot read {}: {e}", file.display()),
            )
        });
    }
    Ok(shipped(name).map(str::to_string))
}

const MONTHS: [[&str; 12]; 2] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ],
];

/// `{{ today|date }}`: an ISO date as a letter writes it in its language, "23 November 2026"
/// (in Welsh, "23 Tachwedd 2026"); `{{ today|date("short") }}` for a table, "23/11/2026".
fn date(state: &State, value: &str, style: Option<&str>) -> Result<String, Error> {
    use chrono::Datelike;
    let day = crate::domain::dates::parse_iso(value).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`{value}` is not a date (the date filter takes the dates of the fields)"),
        )
    })?;
    match style {
        None | Some("long") => {}
        Some("short") => return Ok(crate::domain::dates::uk(day)),
        Some(other) => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("the date filter writes a date \"long\" or \"short\", not \"{other}\""),
            ));
        }
    }
    let welsh = state
        .lookup("language")
        .is_some_and(|l| l.as_str() == Some("cy"));
    let month = MONTHS[usize::from(welsh)][day.month0() as usize];
    Ok(format!("{} {month} {}", day.day(), day.year()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_has_its_shipped_template_and_each_parses() {
        use crate::domain::letter::LetterKind;
        let t = Templates::new(None);
        for kind in LetterKind::ALL {
            let name = kind.template();
            assert!(shipped(&name).is_some(), "{name} is not shipped");
            t.check(&name)
                .unwrap_or_else(|f| panic!("{name}: {}", f.reason));
        }
        t.check("page.html").unwrap();
    }

    #[test]
    fn a_name_outside_the_folder_is_no_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        let inner = dir.path().join("templates");
        std::fs::create_dir(&inner).unwrap();
        assert_eq!(load(Some(&inner), "../secret.txt").unwrap(), None);
        assert_eq!(load(Some(&inner), "/etc/passwd").unwrap(), None);
        assert!(load(Some(&inner), "letter_1.html").unwrap().is_some());
    }

    #[test]
    fn dates_are_spelled_in_the_letters_language() {
        let t = Templates::new(None);
        let render = |language: &str| {
            t.env
                .render_str(
                    "{{ d|date }}",
                    minijinja::context! { d => "2026-11-23", language => language },
                )
                .unwrap()
        };
        assert_eq!(render("en"), "23 November 2026");
        assert_eq!(render("cy"), "23 Tachwedd 2026");
        let short = t
            .env
            .render_str(
                "{{ d|date(\"short\") }}",
                minijinja::context! { d => "2026-11-23" },
            )
            .unwrap();
        assert_eq!(short, "23/11/2026");
        let bad = t
            .env
            .render_str("{{ d|date }}", minijinja::context! { d => "soon" })
            .unwrap_err();
        assert!(bad.to_string().contains("not a date"), "{bad}");
    }
}
