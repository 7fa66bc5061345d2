//! `DISCORD_SHARDS`: which of the bot's gateway shards this process runs, so several
//! processes can split a large bot between them.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use poise::serenity_prelude as serenity;

/// The shards this process connects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Shards {
    /// One connection as shard 0 of 1 (no `DISCORD_SHARDS`).
    #[default]
    Single,
    /// As many shards as Discord recommends (`GET /gateway/bot`), all in this process.
    Auto,
    /// Shards `first` to `last`, both included, of `total`.
    Range { first: u32, last: u32, total: u32 },
}

impl Shards {
    /// Only the process holding shard 0 registers the slash commands (one registration per
    /// bot); Discord also sends DM interactions to shard 0 alone.
    pub fn holds_shard_zero(&self) -> bool {
        match self {
            Shards::Single | Shards::Auto => true,
            Shards::Range { first, .. } => *first == 0,
        }
    }

    /// This process's part of the bot's request budget: its share of the shards. Processes
    /// that together hold every shard once together stay within the bot's global limit.
    pub fn share_of_budget(&self) -> f64 {
        match self {
            Shards::Single | Shards::Auto => 1.0,
            Shards::Range { first, last, total } => f64::from(last - first + 1) / f64::from(*total),
        }
    }
}

impl FromStr for Shards {
    type Err = String;

    /// `auto`, `first-last/total` (`0-1/4` is shards 0 and 1 of 4) or `id/total`.
    fn from_str(text: &str) -> Result<Shards, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("auto") {
            return Ok(Shards::Auto);
        }
        let usage = || {
            format!(
                "DISCORD_SHARDS '{text}' is not a shard range: write auto, or first-last/total such as 0-1/4 (shards 0 and 1 of 4), or id/total such as 2/4"
            )
        };
        let (range, total) = text.split_once('/').ok_or_else(usage)?;
        let (first, last) = range.split_once('-').unwrap_or((range, range));
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| usage());
        let (first, last, total) = (number(first)?, number(last)?, number(total)?);
        if total == 0 || first > last || last >= total {
            return Err(format!(
                "DISCORD_SHARDS '{text}': shard ids run from 0 to {} and the first must not come after the last",
                total.saturating_sub(1)
            ));
        }
        Ok(Shards::Range { first, last, total })
    }
}

/// What the health probe remembers of each shard: whether the current connection's
/// heartbeats were seen acknowledged. A new connection has no acknowledgement for its first
/// heartbeat interval (41 s on Discord) and is healthy meanwhile.
#[derive(Default)]
pub struct ShardWatch {
    /// Shard id → an acknowledged heartbeat was seen since the shard's last stage change.
    acknowledged: Mutex<BTreeMap<serenity::ShardId, bool>>,
}

impl ShardWatch {
    /// A shard changed stage (identifying, resuming, connected): a connection starts afresh.
    pub fn stage_changed(&self, shard: serenity::ShardId) {
        lock(&self.acknowledged).insert(shard, false);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Asks serenity's shard manager whether every shard this process has run is connected now.
///
/// A gateway can go silent with its socket open. serenity notices at the next heartbeat
/// that the previous one was never acknowledged (as Discord's documentation says a client
/// should) and starts the shard again; at that moment it records the shard's latency as
/// unknown while the shard is still listed as connected, which is what this probe looks
/// for after it has seen that connection's heartbeats acknowledged. A shard seen once and
/// now missing counts against health too.
pub fn probe(manager: Arc<serenity::ShardManager>, watch: Arc<ShardWatch>) -> crate::health::Probe {
    Arc::new(move || {
        let (manager, watch) = (manager.clone(), watch.clone());
        Box::pin(async move {
            let runners = manager.runners.lock().await;
            let mut acknowledged = lock(&watch.acknowledged);
            for id in runners.keys() {
                acknowledged.entry(*id).or_insert(false);
            }
            !acknowledged.is_empty()
                && acknowledged.iter_mut().all(|(id, seen_acknowledged)| {
                    let Some(runner) = runners.get(id) else {
                        return false;
                    };
                    if runner.stage != serenity::ConnectionStage::Connected {
                        return false;
                    }
                    match runner.latency {
                        Some(_) => {
                            *seen_acknowledged = true;
                            true
                        }
                        None => !*seen_acknowledged,
                    }
                })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_inclusively() {
        assert_eq!(
            "0-1/4".parse(),
            Ok(Shards::Range {
                first: 0,
                last: 1,
                total: 4
            })
        );
        assert_eq!(
            "3/4".parse(),
            Ok(Shards::Range {
                first: 3,
                last: 3,
                total: 4
            })
        );
        assert_eq!(" AUTO ".parse(), Ok(Shards::Auto));
        let half: Shards = "2-3/4".parse().expect("a range");
        assert!(!half.holds_shard_zero());
        assert_eq!(half.share_of_budget(), 0.5);
        assert!(Shards::Auto.holds_shard_zero());
    }

    #[test]
    fn impossible_ranges_are_refused_with_a_reason() {
        for (text, says) in [
            ("", "not a shard range"),
            ("4", "not a shard range"),
            ("a-b/4", "not a shard range"),
            ("0-4/4", "run from 0 to 3"),
            ("2-1/4", "must not come after"),
            ("0/0", "shard ids"),
            ("-1/4", "not a shard range"),
        ] {
            let error = text.parse::<Shards>().expect_err(text);
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
