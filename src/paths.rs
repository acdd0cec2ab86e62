//! Where caseload keeps its files: the database under the data directory, the config under the
//! config directory (both overridable by flag and environment variable).

use directories::ProjectDirs;
use std::path::PathBuf;

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "caseload")
}

fn data_dir() -> PathBuf {
    dirs().map_or_else(|| PathBuf::from("."), |d| d.data_dir().to_path_buf())
}

/// The officer's own database.
pub fn default_db() -> PathBuf {
    data_dir().join("caseload.db")
}

/// The generated demo caseload, kept apart from real data.
pub fn default_demo_db() -> PathBuf {
    data_dir().join("demo.db")
}

pub fn default_config() -> PathBuf {
    dirs().map_or_else(
        || PathBuf::from("caseload.toml"),
        |d| d.config_dir().join("config.toml"),
    )
}

/// Where a note's draft is kept when the database cannot take it (`$XDG_STATE_HOME/caseload`):
/// on the officer's own machine, apart from the database, which may be the thing that failed.
pub fn state_dir() -> PathBuf {
    dirs().map_or_else(
        || PathBuf::from(".caseload-state"),
        |d| {
            d.state_dir()
                .unwrap_or_else(|| d.data_local_dir())
                .to_path_buf()
        },
    )
}
