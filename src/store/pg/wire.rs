//! A connection to the server driven on the caller's own thread by a runtime of its own, as the
//! synchronous client drives one, but with the asynchronous client's requests at hand: several
//! statements sent together go out in one write and their answers come back together, so a read
//! of several tables costs one round trip instead of one each (see `Server::read_ahead`).

use super::{CONNECT_TIMEOUT, redacted, tls};
use crate::store::{Result, StoreError};
use std::future::Future;
use std::time::Duration;

pub struct Wire {
    /// Taken only when the wire is dropped, so the connection can say goodbye first.
    client: Option<std::sync::Arc<tokio_postgres::Client>>,
    runtime: tokio::runtime::Runtime,
    /// The connection's own task: it reads and writes the socket whenever the runtime runs.
    driver: tokio::task::JoinHandle<()>,
}

impl Wire {
    /// Connects to the database at `url`, encrypted as its `sslmode` says.
    pub fn connect(url: &str) -> Result<Wire> {
        let shown = redacted(url);
        let refuse = |why: String| StoreError::Invalid(format!("the database {shown}: {why}"));
        let server = |cause| match tls::refused(&cause) {
            Some(why) => refuse(why),
            None => StoreError::Server {
                url: shown.clone(),
                cause,
            },
        };
        let asked = tls::asked(url).map_err(refuse)?;
        let mut config: tokio_postgres::Config = asked.url.parse().map_err(server)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| refuse(format!("no runtime for the connection: {e}")))?;
        let tls = tls::connector(&asked).map_err(refuse)?;
        // The connection's task is spawned on the runtime, which runs it whenever the client
        // waits for an answer (and only then: nothing runs between statements).
        let connected = runtime.block_on(async {
            let (client, driver) = match tls {
                Some(tls) => {
                    let (client, connection) = config.connect(tls).await?;
                    (client, tokio::spawn(async { _ = connection.await }))
                }
                None => {
                    let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
                    (client, tokio::spawn(async { _ = connection.await }))
                }
            };
            Ok((client, driver))
        });
        let (client, driver) = connected.map_err(server)?;
        Ok(Wire {
            client: Some(std::sync::Arc::new(client)),
            runtime,
            driver,
        })
    }

    /// Runs `work` with the client until it is done, the connection's traffic with it.
    pub fn run<F: Future>(
        &self,
        work: impl FnOnce(std::sync::Arc<tokio_postgres::Client>) -> F,
    ) -> F::Output {
        let client = self
            .client
            .clone()
            .expect("the client is kept until the wire is dropped");
        self.runtime.block_on(work(client))
    }
}

impl Drop for Wire {
    /// Lets the connection tell the server it is leaving (as the synchronous client does), for a
    /// moment at most: a server that has gone away is not waited for.
    fn drop(&mut self) {
        drop(self.client.take());
        let driver = &mut self.driver;
        self.runtime.block_on(async {
            _ = tokio::time::timeout(Duration::from_millis(200), driver).await;
        });
    }
}
