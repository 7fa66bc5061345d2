//! Configuration: one struct, read from flags and the environment.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// mentorbot: a mentor for product managers on the way to product leadership.
///
/// With no chat platform configured it runs in this terminal against a local SQLite file.
#[derive(Debug, Parser)]
#[command(name = "mentorbot", version)]
pub struct Config {
    /// Where the development log lives: a `sqlite:` URL or a file path. Created if missing.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:mentorbot.db")]
    pub database_url: String,

    /// A folder whose content replaces the shipped prompts/ (tips, stages, prompts, challenges).
    #[arg(long, env = "MENTORBOT_PROMPTS", value_name = "DIR")]
    pub prompts: Option<PathBuf>,

    /// Your name in terminal mode (default: the operating-system user).
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the content and configuration, print what was found, and exit.
    Check,
}

impl Config {
    /// The terminal member's name: `--as`, else the OS user, else "you".
    pub fn terminal_name(&self) -> String {
        self.as_name
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "you".to_string())
    }
}
