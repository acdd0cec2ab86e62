//! The config file. The documented default (`assets/config.toml`) *is* the built-in default; a
//! user's file is merged over it key by key. A bad file is refused whole, naming file, line and key.

use crate::app::keymap::KeyConfig;
use crate::app::queue::RankKey;
use crate::domain::codes::CodeMaps;
use crate::domain::policy::Policy;
use ratatui::style::Color;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT: &str = include_str!("../assets/config.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub display: Display,
    pub colours: Colours,
    pub policy: Policy,
    pub queue: QueueSettings,
    pub codes: CodeMaps,
    pub keys: KeyConfig,
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
        if !path.exists() {
            write_default(path)?;
        }
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Merges `text` over the defaults and checks every value.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
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
        merge(&mut merged, user);
        serde_path_to_error::deserialize(toml::Value::Table(merged)).map_err(|e| {
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
        })
    }
}

fn write_default(path: &Path) -> Result<(), ConfigError> {
    let err = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    std::fs::write(path, DEFAULT).map_err(err)
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
    fn first_run_writes_the_documented_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("config.toml");
        Config::load(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), DEFAULT);
    }
}
