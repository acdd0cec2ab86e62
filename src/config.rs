//! The config file. The documented default (`assets/config.toml`) *is* the built-in default; a
//! user's file is merged over it key by key. A bad file is refused whole, naming file, line and key.

use crate::app::keymap::KeyConfig;
use crate::app::queue::RankKey;
use crate::domain::affordability::TriggerTable;
use crate::domain::calendar::Calendar;
use crate::domain::codes::CodeMaps;
use crate::domain::dates::parse_iso;
use crate::domain::dd::CollectionDays;
use crate::domain::policy::Policy;
use chrono::NaiveDate;
use ratatui::style::Color;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT: &str = include_str!("../assets/config.toml");

/// What the demo caseload adds beneath the officer's own file: an invented landlord and the
/// demo's officers, so its letters can be produced.
pub const DEMO: &str = include_str!("../assets/demo.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub display: Display,
    pub colours: Colours,
    pub policy: Policy,
    pub queue: QueueSettings,
    pub plans: Plans,
    pub notes: Notes,
    pub promises: Promises,
    pub codes: CodeMaps,
    pub landlord: Landlord,
    pub letters: LetterSettings,
    pub keys: KeyConfig,
}

/// Who the letters come from. A value not set (or empty) stops a letter that needs it, saying so.
/// None is set in the shipped file, so the one it writes on first start leaves the demo's in place.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Landlord {
    pub name: String,
    /// Lines separated by commas, the postcode last.
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub office_hours: String,
    /// Each way to pay, as a line of a letter.
    pub payment_methods: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LetterSettings {
    pub language: Language,
    pub joint: Joint,
    /// The letters ask the tenant to pay or get in touch within this many days.
    pub reply_days: Bounded<1, 60>,
    /// Months of rent statement enclosed with a letter.
    pub statement_months: Bounded<1, 12>,
    /// A text longer than this many messages is not sent.
    pub sms_max_segments: Bounded<1, 10>,
    /// The officers named in letters, by the name caseload knows them by.
    pub officers: std::collections::BTreeMap<String, OfficerContact>,
}

/// Which template set a letter is written from; a bilingual letter puts Welsh first.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Cy,
    Both,
}

impl Language {
    /// The languages of a letter, in the order they are printed, by their template folder's
    /// name ("en" is the top folder).
    pub fn parts(self) -> &'static [&'static str] {
        match self {
            Language::En => &["en"],
            Language::Cy => &["cy"],
            Language::Both => &["cy", "en"],
        }
    }
}

/// Joint tenants each get a letter of their own, or one letter addressed to them all.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Joint {
    Each,
    One,
}

/// An officer as a letter names them: an empty value is not set.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct OfficerContact {
    pub name: String,
    /// Their job title, e.g. "Income Officer".
    pub title: String,
    pub phone: String,
    pub email: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// Standard phrases the note editor inserts.
    pub snippets: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promises {
    pub tolerance_days: Bounded<0, 14>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Display {
    pub history_window: Window,
}

/// A history window: at least a screenful, at most what can be read instantly.
#[derive(Clone, Copy, Debug)]
pub struct Window(pub usize);

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let n = usize::deserialize(de)?;
        if (20..=100_000).contains(&n) {
            Ok(Window(n))
        } else {
            Err(serde::de::Error::custom(format!(
                "{n} is out of range (20 to 100000)"
            )))
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    pub accent: Colour,
    pub arrears: Colour,
    pub credit: Colour,
    pub warning: Colour,
    pub muted: Colour,
    pub selection: Colour,
    pub selection_text: Colour,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let name = String::deserialize(de)?;
        name.parse::<Color>().map(Colour).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{name}` is not a colour (e.g. \"cyan\", \"#4080ff\")"
            ))
        })
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSettings {
    #[serde(deserialize_with = "rank_keys")]
    pub rank_by: Vec<RankKey>,
}

/// Up to three sort keys, each once.
fn rank_keys<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<RankKey>, D::Error> {
    use serde::de::Error;
    let keys = Vec::<RankKey>::deserialize(de)?;
    if keys.len() > 3 {
        return Err(D::Error::custom("at most three keys"));
    }
    if keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k)) {
        return Err(D::Error::custom("a key is listed twice"));
    }
    Ok(keys)
}

/// Payment plans, the breach check, Direct Debit and affordability.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plans {
    pub breach_tolerance_days: Bounded<0, 31>,
    pub dd_collection_days: CollectionDays,
    pub dd_notice_working_days: Bounded<1, 30>,
    pub extra_bank_holidays: Vec<ConfigDate>,
    /// The landlord's SFS trigger figures; a relative path is read from the config file's folder.
    #[serde(default)]
    pub affordability_triggers: Option<PathBuf>,
}

impl Plans {
    /// England and Wales working days with the config's extra bank holidays.
    pub fn calendar(&self) -> Calendar {
        let extra: Vec<NaiveDate> = self.extra_bank_holidays.iter().map(|d| d.0).collect();
        Calendar::england_and_wales().with_extra(&extra)
    }

    /// Reads the landlord's trigger figures, if the config names a file.
    pub fn trigger_table(&self) -> Result<Option<TriggerTable>, ConfigError> {
        let Some(path) = &self.affordability_triggers else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        TriggerTable::parse(&text)
            .map(Some)
            .map_err(|e| ConfigError::Invalid {
                path: path.clone(),
                line: None,
                key: None,
                message: e.to_string(),
            })
    }
}

/// A whole number the config accepts only between `MIN` and `MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounded<const MIN: u32, const MAX: u32>(pub u32);

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(de)?;
        if (MIN..=MAX).contains(&n) {
            Ok(Bounded(n))
        } else {
            Err(serde::de::Error::custom(format!(
                "{n} is out of range ({MIN} to {MAX})"
            )))
        }
    }
}

/// A date written in the config as `"YYYY-MM-DD"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigDate(pub NaiveDate);

impl<'de> Deserialize<'de> for ConfigDate {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let text = String::deserialize(de)?;
        parse_iso(&text).map(ConfigDate).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a date (write \"YYYY-MM-DD\")"))
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the default config file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config error in {path}{}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default(), key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        key: Option<String>,
        message: String,
    },
}

impl Config {
    /// The built-in defaults.
    pub fn default_config() -> Config {
        Config::parse(DEFAULT, Path::new("(built-in defaults)"))
            .expect("the shipped default config is valid")
    }

    /// Reads the config at `path`, writing the documented default there first if there is none.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_over(path, &[])
    }

    /// The same with `layers` (shipped TOML, such as [`DEMO`]) between the defaults and the file.
    pub fn load_over(path: &Path, layers: &[&str]) -> Result<Config, ConfigError> {
        if !path.exists() {
            write_default(path)?;
        }
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse_over(&text, path, layers)
    }

    /// Merges `text` over the defaults and checks every value.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_over(text, path, &[])
    }

    /// Merges `layers` (shipped TOML) over the defaults, then `text` over them.
    pub fn parse_over(text: &str, path: &Path, layers: &[&str]) -> Result<Config, ConfigError> {
        let invalid = |line, key, message| ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            key,
            message,
        };
        let user: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            invalid(line, None, e.message().trim().to_string())
        })?;
        let mut merged: toml::Table =
            toml::from_str(DEFAULT).expect("the shipped default config is TOML");
        for layer in layers {
            merge(
                &mut merged,
                toml::from_str(layer).expect("a shipped config layer is TOML"),
            );
        }
        merge(&mut merged, user);
        let mut config: Config = serde_path_to_error::deserialize(toml::Value::Table(merged))
            .map_err(|e| {
                let mut key: Vec<String> = e
                    .path()
                    .iter()
                    .filter_map(|seg| match seg {
                        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                        _ => None,
                    })
                    .collect();
                let inner = e.inner().to_string();
                let message = inner.lines().next().unwrap_or_default().to_string();
                // An unknown key may be named only in the message, not in the path.
                if let Some(name) = message
                    .strip_prefix("unknown field `")
                    .and_then(|m| m.split('`').next())
                    && key.last().map(String::as_str) != Some(name)
                {
                    key.push(name.to_string());
                }
                let line = locate(text, &key);
                invalid(line, (!key.is_empty()).then(|| key.join(".")), message)
            })?;
        if let (Some(triggers), Some(dir)) =
            (&mut config.plans.affordability_triggers, path.parent())
            && triggers.is_relative()
        {
            *triggers = dir.join(&*triggers);
        }
        Ok(config)
    }
}

fn write_default(path: &Path) -> Result<(), ConfigError> {
    let err = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    // Owner-only, whole or not at all, never through a link, never over a file made meanwhile.
    crate::private_file::create_parent(path).map_err(err)?;
    match crate::private_file::write_new(path, DEFAULT.as_bytes(), true) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(err(e)),
        _ => Ok(()),
    }
}

/// Tables merge key by key; any other value in `over` replaces the default.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// The line in `text` where the value at `key` is written, if it is written there.
fn locate(text: &str, key: &[String]) -> Option<usize> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut span = None;
    for (i, part) in key.iter().enumerate() {
        let (k, v) = table.iter().find(|(k, _)| k.get_ref() == part)?;
        span = Some(if i + 1 == key.len() {
            k.span()
        } else {
            v.span()
        });
        match v.get_ref().as_table() {
            Some(inner) => table = inner,
            None => break,
        }
    }
    span.map(|s| line_of(text, s.start))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Action;
    use crate::app::action::Command;
    use crate::app::keymap::{KeyCombo, Keymap, ModeKeys};

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(
            text,
            Path::new("/home/officer/.config/caseload/config.toml"),
        )
    }

    #[test]
    fn the_shipped_default_is_complete_and_valid() {
        let config = Config::default_config();
        assert!(config.policy.one_week_grace);
        assert_eq!(config.display.history_window.0, 100);
        let keymap = Keymap::new(&config.keys);
        let j = KeyCombo::parse("j").unwrap();
        assert_eq!(
            keymap.resolve(ModeKeys::Normal, j),
            Action::Command(Command::MoveDown)
        );
    }

    #[test]
    fn a_user_file_overrides_key_by_key() {
        let config = parse("[keys.normal]\n\"n\" = \"move_down\"\n\"j\" = \"none\"\n[colours]\naccent = \"#ff8000\"").unwrap();
        let keymap = Keymap::new(&config.keys);
        let key = |s| KeyCombo::parse(s).unwrap();
        assert_eq!(
            keymap.resolve(ModeKeys::Normal, key("n")),
            Action::Command(Command::MoveDown)
        );
        assert_eq!(
            keymap.resolve(ModeKeys::Normal, key("j")),
            Action::Unbound("j".into())
        );
        assert_eq!(
            keymap.resolve(ModeKeys::Normal, key("k")),
            Action::Command(Command::MoveUp)
        );
        assert_eq!(config.colours.accent, Colour(Color::Rgb(255, 128, 0)));
        assert_eq!(config.colours.credit, Colour(Color::Green));
    }

    #[test]
    fn errors_name_the_file_line_and_key() {
        let cases = [
            (
                "[display]\n\nhistory_window = \"lots\"\n",
                "line 3, key `display.history_window`",
                "invalid type",
            ),
            (
                "[display]\nhistory_window = 5\n",
                "line 2, key `display.history_window`",
                "out of range",
            ),
            (
                "[colours]\naccent = \"sky\"\n",
                "line 2, key `colours.accent`",
                "not a colour",
            ),
            (
                "[policy]\n# comment\ngrace = true\n",
                "line 3, key `policy.grace`",
                "unknown field",
            ),
            (
                "[keys.normal]\n\"j\" = \"move_dwn\"\n",
                "line 2, key `keys.normal.j`",
                "not an action",
            ),
            (
                "[keys.normal]\n\"<nope>\" = \"quit\"\n",
                "line 2, key `keys.normal.<nope>`",
                "not a key",
            ),
            (
                "[keys.sideways]\n\"j\" = \"quit\"\n",
                "key `keys",
                "no mode `sideways`",
            ),
            (
                "[plans]\nbreach_tolerance_days = 40\n",
                "line 2, key `plans.breach_tolerance_days`",
                "40 is out of range (0 to 31)",
            ),
            (
                "[plans]\n\ndd_collection_days = [1, 31]\n",
                "line 3, key `plans.dd_collection_days`",
                "collection day 31 is not between 1 and 28",
            ),
            (
                "[plans]\ndd_notice_working_days = 0\n",
                "line 2, key `plans.dd_notice_working_days`",
                "out of range (1 to 30)",
            ),
            (
                "[plans]\nextra_bank_holidays = [\"2029-02-30\"]\n",
                "line 2, key `plans.extra_bank_holidays`",
                "`2029-02-30` is not a date",
            ),
            (
                "[plans]\naffordability_triggers = 5\n",
                "line 2, key `plans.affordability_triggers`",
                "invalid type",
            ),
            ("[display\nhistory_window = 5\n", "line 1", "expected"),
        ];
        for (text, location, problem) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(location), "{text:?} gave {err}");
            assert!(err.contains(problem), "{text:?} gave {err}");
            assert!(
                err.starts_with("config error in /home/officer/.config/caseload/config.toml"),
                "{err}"
            );
        }
    }

    #[test]
    fn plan_settings_default_and_override() {
        let plans = Config::default_config().plans;
        assert_eq!(plans.breach_tolerance_days.0, 5);
        assert_eq!(plans.dd_collection_days.days(), &[1, 8, 15, 22, 28]);
        assert_eq!(plans.dd_notice_working_days.0, 10);
        assert_eq!(plans.affordability_triggers, None);
        let date = |s| crate::domain::dates::parse_date(s).unwrap();
        assert!(plans.calendar().is_working_day(date("2029-01-02")));

        let config = parse(
            "[plans]\nbreach_tolerance_days = 7\nextra_bank_holidays = [\"2029-01-02\"]\n\
             affordability_triggers = \"sfs.toml\"\n",
        )
        .unwrap();
        assert_eq!(config.plans.breach_tolerance_days.0, 7);
        assert_eq!(config.plans.dd_notice_working_days.0, 10);
        assert!(!config.plans.calendar().is_working_day(date("2029-01-02")));
        assert_eq!(
            config.plans.affordability_triggers.as_deref(),
            Some(Path::new("/home/officer/.config/caseload/sfs.toml"))
        );
    }

    #[test]
    fn the_trigger_file_is_read_from_beside_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("config.toml");
        let read = |text: &str| {
            Config::parse(text, &config_path)
                .unwrap()
                .plans
                .trigger_table()
        };
        assert!(read("").unwrap().is_none());
        let named = "[plans]\naffordability_triggers = \"sfs.toml\"\n";
        let missing = read(named).unwrap_err().to_string();
        assert!(missing.contains("sfs.toml"), "{missing}");
        std::fs::write(
            dir.path().join("sfs.toml"),
            include_str!("../assets/examples/sfs-trigger-figures.example.toml"),
        )
        .unwrap();
        assert_eq!(read(named).unwrap().unwrap().year, "EXAMPLE");
        std::fs::write(dir.path().join("sfs.toml"), "year = 2026\n").unwrap();
        let bad = read(named).unwrap_err().to_string();
        assert!(
            bad.starts_with(&format!(
                "config error in {}: trigger figures file:",
                dir.path().join("sfs.toml").display()
            )),
            "{bad}"
        );
    }

    #[test]
    fn first_run_writes_the_documented_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("config.toml");
        Config::load(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), DEFAULT);
    }

    #[test]
    fn the_demos_landlord_survives_the_config_file_first_run_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        Config::load(&path).unwrap();
        let config = Config::load_over(&path, &[DEMO]).unwrap();
        assert_eq!(config.landlord.name, "Kingsmere Homes");
        assert!(!config.landlord.payment_methods.is_empty());
        assert!(Config::default_config().landlord.name.is_empty());
    }
}
