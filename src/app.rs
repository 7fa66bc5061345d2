//! Start-up and shutdown: load content, open the store, run the configured front ends.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::clock::{Clock, SystemClock};
use crate::coach::Coach;
use crate::config::{Command, Config};
use crate::content::Library;
use crate::frontends::{discord, slack, terminal};
use crate::health::Health;
use crate::mentor::{MemberRef, Mentor, TERMINAL_WORKSPACE};
use crate::platform::Platform;
use crate::schedule::runner::{Scheduler, SchedulerSettings};
use crate::store::{Store, redact};

/// The program: read configuration, set up logging, run, and exit non-zero on failure.
pub fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in a log file or a pipe.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    // One worker per core (tokio's default). One worker on two cores cost 10-15% less CPU per
    // command, but answered a burst of 200 `/reflect`s at two thirds of the rate.
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
        .and_then(|runtime| runtime.block_on(run(config)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mentorbot: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs mentorbot until its front ends finish or a shutdown signal arrives.
pub async fn run(config: Config) -> anyhow::Result<()> {
    if let Some(Command::MigrateDb { to }) = &config.command {
        return migrate_db(&config.database_url, to).await;
    }
    // Content is checked before the database is touched, so bad content changes nothing.
    let library = Library::load(config.prompts.as_deref())?;
    if let Some(Command::Check) = config.command {
        Store::check_url(&config.database_url)?;
        let mut chats = Vec::new();
        if config.discord_token()?.is_some() {
            chats.push(format!("Discord via {}", redact(&config.discord_api_base)));
        }
        if let Some(slack) = config.slack()? {
            let how = match slack.transport {
                slack::Transport::SocketMode { .. } => "Socket Mode".to_string(),
                slack::Transport::Http { .. } => {
                    format!(
                        "HTTP on {}",
                        config.http_addr.map(|a| a.to_string()).unwrap_or_default()
                    )
                }
            };
            chats.push(format!(
                "Slack ({how}) via {}",
                redact(&config.slack_api_base)
            ));
        }
        let front_end = if chats.is_empty() {
            "terminal (set DISCORD_TOKEN or SLACK_BOT_TOKEN to connect a chat)".to_string()
        } else {
            chats.join(", ")
        };
        let coach = match config.coach()? {
            Some(settings) => describe_coach(Coach::new(settings).await?).await,
            None => "off (set MENTORBOT_COACH_URL and MENTORBOT_COACH_MODEL to offer it)".into(),
        };
        let web = match (config.web_url()?, config.http_addr) {
            (Some(url), Some(addr)) => format!("{url}, pages served on {addr}"),
            (Some(url), None) => format!("links to {url}; this process serves no pages"),
            (None, _) => {
                "off (set MENTORBOT_PUBLIC_URL and MENTORBOT_HTTP_ADDR to offer it)".into()
            }
        };
        let report = format!(
            "content: {}\ndatabase: {}\nfront end: {front_end}\ncoach: {coach}\nweb view: {web}\nok\n",
            library.summary(),
            redact(&config.database_url)
        );
        return print_quietly(&report);
    }
    tracing::info!(content = %library.summary(), "content loaded");
    anyhow::ensure!(
        config.send_rate.is_finite() && (0.1..=1000.0).contains(&config.send_rate),
        "MENTORBOT_SEND_RATE must be between 0.1 and 1000 requests per second"
    );
    anyhow::ensure!(
        config.slack_send_rate.is_finite() && (0.1..=1000.0).contains(&config.slack_send_rate),
        "MENTORBOT_SLACK_SEND_RATE must be between 0.1 and 1000 requests per second"
    );
    let discord = discord_settings(&config)?;
    let slack = config.slack()?;
    let web_url = config.web_url()?;
    let coach = match config.coach()? {
        Some(settings) => Some(Coach::new(settings).await?),
        None => None,
    };
    let store = Store::open(&config.database_url).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mut mentor = Mentor::new(store.clone(), Arc::new(library), clock.clone());
    if let Some(url) = &web_url {
        if config.http_addr.is_none() {
            tracing::info!(
                "sign-in links point at {url}; this process serves no pages (MENTORBOT_HTTP_ADDR is unset)"
            );
        }
        mentor = mentor.with_web(url);
    }
    if let Some(coach) = coach {
        tracing::info!(model = coach.model(), at = %coach.place(), "the coach is offered to members who turn it on");
        mentor = mentor.with_coach(coach, config.coach_daily_calls);
    }
    let owner = format!(
        "mentorbot-{}-{}",
        std::process::id(),
        clock.now().timestamp()
    );
    // The send rate is the bot's whole budget; a process uses its shards' share of it.
    let discord_rate =
        config.send_rate * config.discord_shards.unwrap_or_default().share_of_budget();
    let mut rates = Vec::new();
    if discord.is_some() {
        rates.push(discord_rate);
    }
    if slack.is_some() {
        rates.push(config.slack_send_rate);
    }
    let mut settings = SchedulerSettings::default();
    settings.batch = batch_within_lease(settings.batch, settings.lease.num_seconds(), &rates);
    let mut scheduler = Scheduler::new(mentor.clone(), clock, owner, settings);

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let stop = Arc::new(stop);
    let on_signal = stop.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = on_signal.send(true);
    });

    // Every configured chat front end runs in this process, each with its own messenger; the
    // scheduler sends each delivery through the front end of its recipient's platform.
    let mut front_ends = tokio::task::JoinSet::new();
    let mut health = Health::new(store.clone());
    let mut slack_routes = None;
    if let Some(settings) = discord {
        let connection = discord::connect(settings, mentor.clone()).await?;
        let messenger = Arc::new(connection.messenger(discord_rate));
        scheduler = scheduler.with_messenger(Platform::Discord, messenger);
        health.watch("discord", connection.probe());
        let shutdown = stopped_future(stopped.clone());
        front_ends.spawn(async move { ("Discord", connection.run(shutdown).await) });
    }
    if let Some(settings) = slack {
        let connection = slack::connect(settings, mentor.clone()).await?;
        let messenger = Arc::new(connection.messenger(config.slack_send_rate));
        scheduler = scheduler.with_messenger(Platform::Slack, messenger);
        health.watch("slack", crate::health::flag(connection.connected()));
        slack_routes = connection.routes();
        let shutdown = stopped_future(stopped.clone());
        front_ends.spawn(async move { ("Slack", connection.run(shutdown).await) });
    }
    let http = match config.http_addr {
        Some(addr) => {
            let shutdown = stopped_future(stopped.clone());
            let listener = crate::health::bind(addr).await?;
            let web_routes = web_url
                .as_deref()
                .map(|url| crate::frontends::web::routes(mentor.clone(), url));
            let routes = match (slack_routes, web_routes) {
                (Some(slack), Some(web)) => Some(slack.merge(web)),
                (slack, web) => slack.or(web),
            };
            let server = crate::health::serve(listener, health, routes, shutdown);
            Some(tokio::spawn(server))
        }
        None => None,
    };
    let result = if front_ends.is_empty() {
        run_terminal(&config, &mentor, scheduler, stopped).await
    } else {
        let sending = tokio::spawn(scheduler.run(stopped_future(stopped)));
        let result = serve_until_one_ends(&mut front_ends, &stop).await;
        let _ = sending.await;
        result
    };
    let _ = stop.send(true);
    if let Some(http) = http
        && let Ok(Err(error)) = http.await
    {
        tracing::error!("{error:#}");
    }
    store.close().await;
    result
}

/// The coach for `mentorbot check`: the model, where it is, whether a key is set (never the
/// key) and whether the server answers.
async fn describe_coach(coach: Coach) -> String {
    let key = match coach.has_api_key() {
        true => "an API key is set",
        false => "no API key",
    };
    let answers = match coach.ready().await {
        Ok(true) => "the server answers and lists the model".to_string(),
        Ok(false) => "the server answers but does not list this model".to_string(),
        Err(failure) => format!("the server does not answer yet ({failure})"),
    };
    format!("{} at {}, {key}, {answers}", coach.model(), coach.place())
}

/// Rows to claim at once: no more than the slowest front end sends in a quarter of the lease
/// (a delivery takes up to two requests), so a slow process, such as one holding few shards,
/// finishes its rows long before another process may take them over.
fn batch_within_lease(batch: i64, lease_seconds: i64, requests_per_second: &[f64]) -> i64 {
    let slowest = requests_per_second
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    if !slowest.is_finite() {
        return batch;
    }
    let deliveries = slowest / 2.0 * lease_seconds as f64 / 4.0;
    (deliveries.floor() as i64).clamp(1, batch)
}

/// Waits for the first front end to end, then stops the others; returns the first error.
async fn serve_until_one_ends(
    front_ends: &mut tokio::task::JoinSet<(&'static str, anyhow::Result<()>)>,
    stop: &tokio::sync::watch::Sender<bool>,
) -> anyhow::Result<()> {
    let mut first_error = None;
    while let Some(ended) = front_ends.join_next().await {
        let _ = stop.send(true);
        let error = match ended {
            Ok((_, Ok(()))) => continue,
            Ok((name, Err(error))) => error.context(format!("the {name} front end stopped")),
            Err(panic) => anyhow::anyhow!("a front end panicked: {panic}"),
        };
        tracing::error!("{error:#}");
        first_error.get_or_insert(error);
    }
    first_error.map_or(Ok(()), Err)
}

/// The terminal session, when no chat platform is configured: the same mentor on stdin/stdout.
async fn run_terminal(
    config: &Config,
    mentor: &Mentor,
    scheduler: Scheduler,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let name = config.terminal_name();
    let who = MemberRef::new(Platform::Terminal, TERMINAL_WORKSPACE, &name, &name);
    let interactive = std::io::stdin().is_terminal();
    let (messenger, notices) = terminal::messenger();
    let scheduler = scheduler
        .with_messenger(Platform::Terminal, Arc::new(messenger))
        .only_for(&who.user);
    let (session_over, session_over_rx) = tokio::sync::watch::channel(false);
    let sending = tokio::spawn(scheduler.run(stopped_future(session_over_rx)));
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    let output = tokio::io::stdout();
    let result = tokio::select! {
        result = terminal::run(mentor, &who, input, output, interactive, notices) => result.context("terminal session"),
        _ = stopped.wait_for(|stop| *stop) => {
            tracing::info!("interrupted");
            Ok(())
        }
    };
    let _ = session_over.send(true);
    let _ = sending.await;
    result
}

/// `mentorbot migrate-db --to postgres://…`: copies the SQLite community and reports each table.
async fn migrate_db(from: &str, to: &str) -> anyhow::Result<()> {
    let source = Store::open_to_copy(from).await?;
    let copied = source.copy_to_postgres(to).await;
    source.close().await;
    let copied = copied?;
    let mut report = format!("Copied {} into {}:\n", redact(from), redact(to));
    for table in &copied {
        report.push_str(&format!(
            "  {:<24} {:>9} rows  sha256 {}\n",
            table.table,
            table.rows,
            &table.checksum[..16]
        ));
    }
    let rows: usize = copied.iter().map(|table| table.rows).sum();
    report.push_str(&format!(
        "{rows} rows in {} tables, each count and checksum verified. Set DATABASE_URL to the new database and restart.\n",
        copied.len()
    ));
    print_quietly(&report)
}

/// Prints to stdout; a reader that went away (`mentorbot check | head -1`) is not an error.
fn print_quietly(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("printing the report")
        }
        _ => Ok(()),
    }
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
        shards: config.discord_shards.unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::batch_within_lease;

    #[test]
    fn a_slow_share_claims_only_what_it_sends_within_the_lease() {
        assert_eq!(batch_within_lease(25, 15, &[]), 25);
        assert_eq!(batch_within_lease(25, 15, &[25.0]), 25);
        // An eighth of the default budget: about 1.6 deliveries a second.
        assert_eq!(batch_within_lease(25, 15, &[25.0 / 8.0]), 5);
        assert_eq!(batch_within_lease(25, 15, &[25.0, 5.0]), 9);
        assert_eq!(batch_within_lease(25, 15, &[0.1]), 1);
    }
}
