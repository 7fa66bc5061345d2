//! Start-up and shutdown: load content, open the store, run the configured front ends.

use std::io::IsTerminal;
use std::sync::Arc;

use anyhow::Context;

use crate::clock::SystemClock;
use crate::config::{Command, Config};
use crate::content::Library;
use crate::frontends::terminal;
use crate::mentor::{MemberRef, Mentor};
use crate::store::Store;

/// Runs mentorbot until its front ends finish or a shutdown signal arrives.
pub async fn run(config: Config) -> anyhow::Result<()> {
    // Content is checked before the database is touched, so bad content changes nothing.
    let library = Library::load(config.prompts.as_deref())?;
    if let Some(Command::Check) = config.command {
        Store::check_url(&config.database_url)?;
        println!("content: {}", library.summary());
        println!("database: {}", config.database_url);
        println!("front end: terminal (set DISCORD_TOKEN to connect Discord)");
        println!("ok");
        return Ok(());
    }
    tracing::info!(content = %library.summary(), "content loaded");
    let store = Store::open(&config.database_url).await?;
    let mentor = Mentor::new(store.clone(), Arc::new(library), Arc::new(SystemClock));

    let name = config.terminal_name();
    let who = MemberRef::new("terminal", "local", &name, &name);
    let interactive = std::io::stdin().is_terminal();
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    let output = tokio::io::stdout();
    tokio::select! {
        result = terminal::run(&mentor, &who, input, output, interactive) => result.context("terminal session")?,
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted"),
    }
    store.close().await;
    Ok(())
}
