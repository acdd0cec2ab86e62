//! A team's shared database on a PostgreSQL server (`--db postgres://…`): connecting, and bringing
//! its schema up to date with the same versions as a SQLite file, in PostgreSQL's dialect
//! (`src/store/migrations_pg/`).
//!
//! The guarantees a SQLite file keeps with triggers are kept here by triggers too, and by roles:
//! the login that runs `caseload migrate` owns the schema; officers log in with roles granted
//! `caseload_officer`, which may read and add records but never change or remove one. Writes that
//! add records take their turn (`caseload_take_turn()`, an advisory lock held to commit), so the
//! hash chain seals exactly each write's rows as SQLite's single writer does.

pub(super) mod chain;
mod copy;
mod live;
mod migrations;
pub mod scratch;
mod tls;
pub(super) mod value;
mod verify;
mod wire;

pub use super::engine::Server;
pub use copy::{MovedIn, move_in};
pub use live::{Changed, Changes, Doing, HEARTBEAT, Link};
pub use migrations::{LATEST, Migrated};
pub use verify::Findings;
pub(super) use wire::Wire;

use super::{Result, StoreError};
use std::time::Duration;

/// How long connecting may take before the server is said to be unreachable, unless the URL sets
/// its own `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL as it may be shown or logged: without its password.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{scheme}://{user}{}", &rest[at..])
        }
        None => url.to_string(),
    }
}

/// Connects to the database at `url`, encrypted as its `sslmode` says (see [`tls`]).
pub fn connect(url: &str) -> Result<postgres::Client> {
    let shown = redacted(url);
    let refuse = |why: String| StoreError::Invalid(format!("the database {shown}: {why}"));
    let asked = tls::asked(url).map_err(refuse)?;
    let mut config: postgres::Config = asked.url.parse().map_err(|cause| StoreError::Server {
        url: shown.clone(),
        cause,
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let connected = match tls::connector(&asked).map_err(refuse)? {
        Some(tls) => config.connect(tls),
        None => config.connect(postgres::NoTls),
    };
    connected.map_err(|cause| match tls::refused(&cause) {
        Some(why) => refuse(why),
        None => StoreError::Server {
            url: shown.clone(),
            cause,
        },
    })
}

/// Opens the team's database at `url`, which `caseload migrate` must have brought up to date.
pub fn open(url: &str) -> Result<Server> {
    let shown = redacted(url);
    let wire = Wire::connect(url)?;
    // One round trip (a start waits for it): the schema's version and who logged in. A database
    // with no schema yet has no table to read: version 0.
    let (found, login) = wire
        .run(|client| async move {
            client
                .simple_query(
                    "SELECT (SELECT max(version) FROM caseload_migrations), session_user::text",
                )
                .await
        })
        .ok()
        .into_iter()
        .flatten()
        .find_map(|message| match message {
            postgres::SimpleQueryMessage::Row(row) => Some((
                row.get(0).and_then(|v| v.parse().ok()).unwrap_or(0),
                row.get(1).map(str::to_string),
            )),
            _ => None,
        })
        .unwrap_or((0, None));
    if found > LATEST {
        return Err(StoreError::Newer {
            path: shown.into(),
            found: found.into(),
            supported: LATEST.into(),
        });
    }
    if found < LATEST {
        return Err(StoreError::Invalid(format!(
            "{shown} is at schema version {found}, not {LATEST}: bring it up to date first with \
             `caseload --db {shown} migrate` (as the login that owns it)"
        )));
    }
    Ok(Server::new(wire, url, login))
}

/// Brings the database at `url` up to the latest schema version.
pub fn migrate(url: &str) -> Result<Migrated> {
    let mut client = connect(url)?;
    migrations::to_latest(&mut client, &redacted(url))
}

/// Runs `caseload verify`'s checks on the database at `url`.
pub fn verify(url: &str) -> Result<Findings> {
    let mut client = connect(url)?;
    let mut found = verify::checks(&mut client).map_err(|cause| StoreError::Server {
        url: redacted(url),
        cause,
    })?;
    // The kept queue rows are judged by the queue's own reading of the records.
    let differing = open(url)?.read_only(super::facts_kept::first_differing)?;
    found.push((
        super::verify::KEPT_FACTS_HOLD,
        differing.map(|tenancy| format!("tenancy {tenancy}: {}", super::verify::KEPT_FACTS_DIFFER)),
    ));
    Ok(found)
}

/// Whether a connection that was made has been lost: the server ended it (as a restart does), or
/// it broke. A connection never made (no server at that address) is not one lost.
pub(super) fn lost(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    use std::io::ErrorKind;
    let ended = [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
    ];
    let broke = [
        ErrorKind::ConnectionReset,
        ErrorKind::ConnectionAborted,
        ErrorKind::BrokenPipe,
        ErrorKind::UnexpectedEof,
    ];
    e.is_closed()
        || e.code().is_some_and(|code| ended.contains(code))
        || std::error::Error::source(e)
            .and_then(|cause| cause.downcast_ref::<std::io::Error>())
            .is_some_and(|io| broke.contains(&io.kind()))
}

/// A server's error in plain words: its own message (and hint) where it sent one, else what failed.
pub(super) fn describe(e: &postgres::Error) -> String {
    if lost(e) {
        return "the connection to the server was lost (the server may have restarted): it is \
                made again at the next read or save"
            .into();
    }
    match e.as_db_error() {
        Some(db) => match db.hint() {
            Some(hint) => format!("{} ({hint})", db.message()),
            None => db.message().to_string(),
        },
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            redacted("postgres://alice:s3cret@db.example:5432/caseload?sslmode=disable"),
            "postgres://alice@db.example:5432/caseload?sslmode=disable"
        );
        assert_eq!(
            redacted("postgres://alice@db/caseload"),
            "postgres://alice@db/caseload"
        );
        assert_eq!(
            redacted("postgresql://db/caseload"),
            "postgresql://db/caseload"
        );
        assert_eq!(
            redacted("postgres://bob:p@ss@db/x"),
            "postgres://bob@db/x",
            "a password holding an @ is cut at the last one"
        );
    }

    #[test]
    fn only_a_postgres_url_names_a_server() {
        assert!(is_url("postgres://db/caseload"));
        assert!(is_url("postgresql://db/caseload"));
        assert!(!is_url("caseload.db"));
        assert!(!is_url("./postgres/caseload.db"));
    }
}
