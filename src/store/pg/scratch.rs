//! Throwaway databases for the tests that run against a real PostgreSQL server: the server
//! `CASELOAD_TEST_PG` names (a URL whose user may create databases and roles; `.ci/run` starts one),
//! a database of its own for each test, dropped with the roles it made when the test ends.
//!
//! Without `CASELOAD_TEST_PG` such a test says on standard error that it was skipped, and passes;
//! with `CASELOAD_REQUIRE_PG` set (as `.ci/run` sets it) a missing server fails the test instead.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The server to test against.
pub const SERVER_VAR: &str = "CASELOAD_TEST_PG";
/// Set: a test must not pass without a server.
pub const REQUIRED_VAR: &str = "CASELOAD_REQUIRE_PG";

/// A database of a test's own on the test server.
pub struct Scratch {
    server: String,
    name: String,
    roles: Vec<String>,
}

impl Scratch {
    /// A new, empty database for the test `label`, or `None` (said on standard error) when no
    /// server is named and none is required.
    ///
    /// # Panics
    /// When the server is required but not named, or cannot make the database: a test that was
    /// meant to run against it must fail, not pass without having run.
    pub fn new(label: &str) -> Option<Scratch> {
        Scratch::copy_of(label, None)
    }

    /// A new database for the test `label`, brought up to date (a copy of one migrated template
    /// the test program makes once: copying is far quicker than migrating), or `None` as
    /// [`Scratch::new`] gives it.
    pub fn migrated(label: &str) -> Option<Scratch> {
        Scratch::from_template(label, "migrated", |url| {
            super::migrate(url).unwrap_or_else(|e| panic!("cannot migrate the template: {e}"));
        })
    }

    /// A new database for the test `label`, a copy of the template `kind`, which the test program
    /// makes once by `make` (given the empty template's URL) the first time a test asks for it;
    /// `None` as [`Scratch::new`] gives it. The templates outlive the test program (a copy needs
    /// its template to stay): they are named by the program's process and go with the cluster.
    pub fn from_template(label: &str, kind: &str, make: impl FnOnce(&str)) -> Option<Scratch> {
        static TEMPLATES: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);
        server(label)?;
        let template = {
            // Held while a template is made: the tests asking for it wait for it whole.
            let mut templates = TEMPLATES
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let templates = templates.get_or_insert_with(HashMap::new);
            if let Some(name) = templates.get(kind) {
                name.clone()
            } else {
                let made = Scratch::copy_of(&format!("template_{kind}"), None)?;
                make(&made.url());
                let name = made.name.clone();
                std::mem::forget(made);
                templates.insert(kind.to_string(), name.clone());
                name
            }
        };
        Scratch::copy_of(label, Some(&template))
    }

    /// A new database for `label`, empty or a copy of the database `template`.
    fn copy_of(label: &str, template: Option<&str>) -> Option<Scratch> {
        let server = server(label)?;
        static SEQUENCE: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "caseload_test_{}_{}_{label}",
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        );
        let scratch = Scratch {
            server,
            name,
            roles: Vec::new(),
        };
        let from = template.map_or(String::new(), |t| format!(" TEMPLATE \"{t}\""));
        scratch
            .admin_of("postgres")
            .batch_execute(&format!("CREATE DATABASE \"{}\"{from}", scratch.name))
            .unwrap_or_else(|e| panic!("cannot make a test database on {SERVER_VAR}: {e}"));
        Some(scratch)
    }

    /// The database's URL, for the server's own user (who owns what `migrate` makes).
    pub fn url(&self) -> String {
        with_user_and_database(&self.server, None, &self.name)
    }

    /// The database's URL for the login `user`.
    pub fn url_as(&self, user: &str) -> String {
        with_user_and_database(&self.server, Some(user), &self.name)
    }

    /// Whether the tests of `label` can run against a server (said on standard error when not;
    /// a failed test when one is required, as [`Scratch::new`] does).
    pub fn available(label: &str) -> bool {
        server(label).is_some()
    }

    /// A connection to the database as the server's own user.
    pub fn admin(&self) -> postgres::Client {
        self.admin_of(&self.name)
    }

    /// Makes a login role granted `caseload_officer` (after the schema is made) and gives the
    /// database's URL for it. The role's name starts with `name`.
    pub fn officer(&mut self, name: &str) -> (String, String) {
        let role = format!("{name}_{}", self.name.trim_start_matches("caseload_test_"));
        self.admin()
            .batch_execute(&format!(
                "CREATE ROLE \"{role}\" LOGIN IN ROLE caseload_officer"
            ))
            .unwrap_or_else(|e| panic!("cannot make the role {role}: {e}"));
        self.roles.push(role.clone());
        let url = with_user_and_database(&self.server, Some(&role), &self.name);
        (role, url)
    }

    fn admin_of(&self, database: &str) -> postgres::Client {
        let url = with_user_and_database(&self.server, None, database);
        super::connect(&url).unwrap_or_else(|e| panic!("cannot reach {SERVER_VAR}: {e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: the cluster is a throwaway one, and a failed test's database may help.
        if let Ok(mut admin) =
            super::connect(&with_user_and_database(&self.server, None, "postgres"))
        {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
            for role in &self.roles {
                let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
            }
        }
    }
}

/// The server named to test against, or `None` (said on standard error) when none is named and
/// none is required.
fn server(label: &str) -> Option<String> {
    let Ok(server) = std::env::var(SERVER_VAR) else {
        assert!(
            std::env::var_os(REQUIRED_VAR).is_none(),
            "{REQUIRED_VAR} is set but {SERVER_VAR} is not: this test must run against PostgreSQL"
        );
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "SKIPPED {label}: no PostgreSQL server (set {SERVER_VAR}=postgres://USER@HOST/DB \
                 to run it, as .ci/run does)"
            );
        }
        return None;
    };
    Some(server)
}

/// `url` with its user replaced (or kept, for `None`) and its database replaced.
fn with_user_and_database(url: &str, user: Option<&str>, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |q| &tail[q..]);
    let authority = match (user, authority.rfind('@')) {
        (Some(user), Some(at)) => format!("{user}{}", &authority[at..]),
        (Some(user), None) => format!("{user}@{authority}"),
        (None, _) => authority.to_string(),
    };
    format!("{scheme}://{authority}/{database}{query}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_is_given_another_user_and_database() {
        let to = |url, user| super::with_user_and_database(url, user, "db2");
        assert_eq!(
            to(
                "postgres://postgres@%2Ftmp%2Fpg/postgres?connect_timeout=5",
                Some("alice")
            ),
            "postgres://alice@%2Ftmp%2Fpg/db2?connect_timeout=5"
        );
        assert_eq!(
            to("postgres://h:5432", Some("a")),
            "postgres://a@h:5432/db2"
        );
        assert_eq!(to("postgres://u:pw@h/x", None), "postgres://u:pw@h/db2");
    }
}
