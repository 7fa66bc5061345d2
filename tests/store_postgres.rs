//! The store suite (`store.rs`) again, on a throwaway PostgreSQL (see `support/postgres.rs`),
//! and what only a server across a network can do: stop answering.

#[path = "store.rs"]
mod suite;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mentorbot::store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A TCP front for the cluster's Unix socket that can stop passing bytes on, as a server
/// behind a dead network link would: connections stay open and nothing comes back.
struct StallingLink {
    address: String,
    stalled: Arc<AtomicBool>,
}

impl StallingLink {
    async fn start(socket: String) -> StallingLink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let address = listener.local_addr().expect("an address").to_string();
        let stalled = Arc::new(AtomicBool::new(false));
        let flag = stalled.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = tokio::net::UnixStream::connect(&socket)
                    .await
                    .expect("the cluster's socket");
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::spawn(pass_on(client_read, server_write, flag.clone()));
                tokio::spawn(pass_on(server_read, client_write, flag.clone()));
            }
        });
        StallingLink { address, stalled }
    }
}

async fn pass_on(
    mut from: impl AsyncReadExt + Unpin,
    mut to: impl AsyncWriteExt + Unpin,
    stalled: Arc<AtomicBool>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    while let Ok(read) = from.read(&mut buffer).await {
        if read == 0 {
            return;
        }
        if stalled.load(Ordering::SeqCst) {
            // Swallowed: the other side waits for an answer that never comes.
            continue;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn the_health_probe_gives_up_on_a_server_that_stopped_answering() {
    let url = suite::support::postgres::fresh_database("store");
    let (database, socket_dir) = url
        .trim_start_matches("postgres://postgres@localhost/")
        .split_once("?host=")
        .expect("a Unix-socket URL");
    let link = StallingLink::start(format!("{socket_dir}/.s.PGSQL.5432")).await;
    let store = Store::open(&format!(
        "postgres://postgres@{}/{database}?sslmode=disable",
        link.address
    ))
    .await
    .expect("the store opens through the link");
    assert!(store.reachable().await);

    link.stalled.store(true, Ordering::SeqCst);
    let asked = Instant::now();
    assert!(!store.reachable().await, "a silent server is not healthy");
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "the probe has a deadline instead of waiting for the server"
    );
}
