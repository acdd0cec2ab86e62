//! Live work on a team's database: every write announced to the workstations that listen
//! (PostgreSQL's LISTEN/NOTIFY, from the triggers of schema version 14), so another officer's
//! payment, note or plan re-places that account in my queue without a full re-rank; and who is on
//! a call or writing a note on an account now (presence, kept alive by a heartbeat), its beginning
//! and end announced apart (version 21), as they change no row of a queue.

use super::super::engine::{Columns, Db, Server};
use super::super::{Result, StoreError};
use postgres::fallible_iterator::FallibleIterator;
use std::time::Duration;

/// The channel the schema's triggers announce changes on.
const CHANNEL: &str = "caseload_changes";

/// What a write that committed changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    /// These tenancies: re-place each.
    Tenancies(Vec<i64>),
    /// Too many to name (an import): re-rank the whole queue.
    All,
    /// Someone began or ended a call or a note on these tenancies: who is on them, and nothing
    /// else, may have changed.
    Presence(Vec<i64>),
}

/// What a workstation's live connections are made from, again when one is lost: the database's
/// URL (password and all, so it logs in as the workstation did; never shown).
#[derive(Clone)]
pub struct Link {
    url: String,
}

impl Link {
    pub(in crate::store) fn new(url: &str) -> Link {
        Link {
            url: url.to_string(),
        }
    }

    /// A connection that hears every change committed.
    pub fn listen(&self) -> Result<Changes> {
        Changes::listen(&self.url)
    }

    /// A connection that keeps this officer's presence (the workstation's first connection
    /// checked the database's version).
    pub fn presence(&self) -> Result<Server> {
        let wire = super::Wire::connect(&self.url)?;
        Ok(Server::new(wire, &self.url, None))
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::redacted(&self.url))
    }
}

/// A connection of its own that hears every change committed by anyone.
pub struct Changes {
    client: postgres::Client,
    url: String,
}

impl Changes {
    /// Starts listening to the database at `url`.
    pub fn listen(url: &str) -> Result<Changes> {
        let mut client = super::connect(url)?;
        let url = super::redacted(url);
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|cause| StoreError::Server {
                url: url.clone(),
                cause,
            })?;
        Ok(Changes { client, url })
    }

    /// The next change announced, waiting at most `wait` for one.
    pub fn next(&mut self, wait: Duration) -> Result<Option<Changed>> {
        let url = &self.url;
        let mut notifications = self.client.notifications();
        let note = notifications
            .timeout_iter(wait)
            .next()
            .map_err(|cause| StoreError::Server {
                url: url.clone(),
                cause,
            })?;
        Ok(note.map(|n| parse(n.payload())))
    }
}

fn parse(payload: &str) -> Changed {
    let ids =
        |list: &str| -> Option<Vec<i64>> { list.split(',').map(|id| id.parse().ok()).collect() };
    match payload.strip_prefix("p:") {
        Some(list) => ids(list).map_or(Changed::All, Changed::Presence),
        None => ids(payload).map_or(Changed::All, Changed::Tenancies),
    }
}

/// What an officer is doing on an account, for the others to see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    Call,
    Note,
}

impl Doing {
    fn as_str(self) -> &'static str {
        match self {
            Doing::Call => "call",
            Doing::Note => "note",
        }
    }
}

/// How often a workstation says it is still there; a row not renewed for 20 seconds (see the view
/// presence_now) is no longer shown.
pub const HEARTBEAT: Duration = Duration::from_secs(5);

impl Server {
    /// Says this officer is now doing `doing` on the tenancy (until [`Server::absent`], or until
    /// the heartbeat or the connection stops).
    pub fn present(&self, tenancy_id: i64, doing: Doing) -> Result<()> {
        Db::Pg(self).execute(
            "INSERT INTO presence (tenancy_id, doing) VALUES (?1, ?2)
             ON CONFLICT (officer, tenancy_id) DO UPDATE
             SET doing = excluded.doing, seen = now(), backend = pg_backend_pid()",
            &[&tenancy_id, &doing.as_str()],
        )?;
        Ok(())
    }

    /// The heartbeat: everything this workstation is doing is still being done.
    pub fn heartbeat(&self) -> Result<()> {
        Db::Pg(self).execute(
            "UPDATE presence SET seen = now()
             WHERE officer = session_user AND backend = pg_backend_pid()",
            &[],
        )?;
        Ok(())
    }

    /// The call or note on the tenancy has ended.
    pub fn absent(&self, tenancy_id: i64) -> Result<()> {
        Db::Pg(self).execute(
            "DELETE FROM presence WHERE officer = session_user AND tenancy_id = ?1",
            &[&tenancy_id],
        )?;
        Ok(())
    }

    /// Who else is on a call or writing a note on the tenancy now, the earliest first.
    pub fn presence_on(&self, tenancy_id: i64) -> Result<Vec<(String, Doing)>> {
        Db::Pg(self).query_map(
            "SELECT officer, doing FROM presence_now
             WHERE tenancy_id = ?1 AND officer <> session_user ORDER BY since, officer",
            &[&tenancy_id],
            |r| {
                let doing = match r.get::<_, String>(1)?.as_str() {
                    "call" => Doing::Call,
                    _ => Doing::Note,
                };
                Ok((r.get(0)?, doing))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_names_its_tenancies_or_asks_for_everything() {
        assert_eq!(parse("12"), Changed::Tenancies(vec![12]));
        assert_eq!(parse("3,1,2"), Changed::Tenancies(vec![3, 1, 2]));
        assert_eq!(parse("*"), Changed::All);
        assert_eq!(parse("p:7"), Changed::Presence(vec![7]));
        assert_eq!(parse("p:7,9"), Changed::Presence(vec![7, 9]));
        assert_eq!(parse("p:"), Changed::All);
        assert_eq!(
            parse("x"),
            Changed::All,
            "what cannot be read re-ranks everything"
        );
    }
}
