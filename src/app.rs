//! Start-up and shutdown: load content, open the store, run the configured front ends.

use std::io::IsTerminal;
use std::sync::Arc;

use anyhow::Context;

use crate::clock::{Clock, SystemClock};
use crate::config::{Command, Config};
use crate::content::Library;
use crate::frontends::{discord, terminal};
use crate::mentor::{MemberRef, Mentor};
use crate::schedule::runner::{Scheduler, SchedulerSettings};
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
    anyhow::ensure!(
        config.send_rate.is_finite() && (0.1..=1000.0).contains(&config.send_rate),
        "MENTORBOT_SEND_RATE must be between 0.1 and 1000 requests per second"
    );
    let discord = discord_settings(&config)?;
    let store = Store::open(&config.database_url).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mentor = Mentor::new(store.clone(), Arc::new(library), clock.clone());
    let owner = format!(
        "mentorbot-{}-{}",
        std::process::id(),
        clock.now().timestamp()
    );
    let scheduler = Scheduler::new(mentor.clone(), clock, owner, SchedulerSettings::default());

    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });

    if let Some(settings) = discord {
        let connection = discord::connect(settings, mentor).await?;
        let scheduler =
            scheduler.with_messenger("discord", Arc::new(connection.messenger(config.send_rate)));
        let sending = tokio::spawn(scheduler.run(stopped_future(stopped.clone())));
        let result = connection.run(stopped_future(stopped)).await;
        let _ = sending.await;
        store.close().await;
        return result;
    }

    let name = config.terminal_name();
    let who = MemberRef::new("terminal", "local", &name, &name);
    let interactive = std::io::stdin().is_terminal();
    let (messenger, notices) = terminal::messenger();
    let scheduler = scheduler.with_messenger("terminal", Arc::new(messenger));
    let (session_over, session_over_rx) = tokio::sync::watch::channel(false);
    let sending = tokio::spawn(scheduler.run(stopped_future(session_over_rx)));
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    let output = tokio::io::stdout();
    let mut stopped = stopped;
    tokio::select! {
        result = terminal::run(&mentor, &who, input, output, interactive, notices) => result.context("terminal session")?,
        _ = stopped.wait_for(|stop| *stop) => tracing::info!("interrupted"),
    }
    let _ = session_over.send(true);
    let _ = sending.await;
    store.close().await;
    Ok(())
}

/// Completes once `true` is sent on the channel (or its sender is gone).
async fn stopped_future(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
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
