//! Start-up and shutdown: load content, open the store, run the configured front ends.

use std::io::IsTerminal;
use std::sync::Arc;

use anyhow::Context;

use crate::clock::SystemClock;
use crate::config::{Command, Config};
use crate::content::Library;
use crate::frontends::{discord, terminal};
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
        match config.discord_token()? {
            Some(_) => println!("front end: Discord via {}", config.discord_api_base),
            None => println!("front end: terminal (set DISCORD_TOKEN to connect Discord)"),
        }
        println!("ok");
        return Ok(());
    }
    tracing::info!(content = %library.summary(), "content loaded");
    let discord = discord_settings(&config)?;
    let store = Store::open(&config.database_url).await?;
    let mentor = Mentor::new(store.clone(), Arc::new(library), Arc::new(SystemClock));

    if let Some(settings) = discord {
        discord::run(settings, mentor, shutdown_signal()).await?;
        store.close().await;
        return Ok(());
    }

    let name = config.terminal_name();
    let who = MemberRef::new("terminal", "local", &name, &name);
    let interactive = std::io::stdin().is_terminal();
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    let output = tokio::io::stdout();
    tokio::select! {
        result = terminal::run(&mentor, &who, input, output, interactive) => result.context("terminal session")?,
        _ = shutdown_signal() => tracing::info!("interrupted"),
    }
    store.close().await;
    Ok(())
}

fn discord_settings(config: &Config) -> anyhow::Result<Option<discord::Settings>> {
    let Some(token) = config.discord_token()? else {
        return Ok(None);
    };
    let guild_id = match config.discord_guild_id {
        Some(0) => anyhow::bail!("DISCORD_GUILD_ID must be a guild's id, not 0"),
        Some(id) => Some(poise::serenity_prelude::GuildId::new(id)),
        None => None,
    };
    anyhow::ensure!(
        config.discord_api_base.starts_with("http://")
            || config.discord_api_base.starts_with("https://"),
        "DISCORD_API_BASE must start with http:// or https://"
    );
    Ok(Some(discord::Settings {
        token,
        api_base: config.discord_api_base.clone(),
        guild_id,
    }))
}

/// Completes on Ctrl-C or, on Unix, SIGTERM (what `docker stop` sends).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(error) => {
                    tracing::warn!("cannot listen for SIGTERM: {error}");
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
