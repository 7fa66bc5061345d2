//! The coach's limits that are not the server's: one call per member at a time, and an input
//! budget that drops a member's oldest entries first.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use super::{Ask, Failure};

/// The user message: the instruction, the context, then as many of the newest entries as fit
/// the budget, in the order they were written, between `<<<` and `>>>`.
pub(super) fn user_message(ask: &Ask, budget: usize) -> String {
    let fixed = ask.instruction.chars().count() + ask.context.chars().count() + 16;
    let mut room = budget.saturating_sub(fixed);
    let mut kept = Vec::new();
    for entry in ask.entries.iter().rev() {
        let size = entry.chars().count() + 1;
        if size > room {
            break;
        }
        room -= size;
        kept.push(entry.as_str());
    }
    kept.reverse();
    let mut message = format!("{}\n\n{}\n<<<\n", ask.instruction, ask.context);
    for entry in kept {
        message.push_str(entry);
        message.push('\n');
    }
    message.push_str(">>>");
    message
}

/// A member's one call in flight; freed when dropped, whatever happened.
pub(super) struct MemberSlot {
    busy: Arc<Mutex<HashSet<i64>>>,
    member: i64,
}

impl MemberSlot {
    pub(super) fn take(
        busy: &Arc<Mutex<HashSet<i64>>>,
        member: i64,
    ) -> Result<MemberSlot, Failure> {
        let fresh = busy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(member);
        if !fresh {
            return Err(Failure::MemberBusy);
        }
        Ok(MemberSlot {
            busy: busy.clone(),
            member,
        })
    }
}

impl Drop for MemberSlot {
    fn drop(&mut self) {
        self.busy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.member);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_go_first_when_over_budget() {
        let ask = Ask {
            member: 1,
            system: "s".into(),
            instruction: "Ask one question.".into(),
            context: "Stage: senior".into(),
            entries: (1..=50)
                .map(|n| format!("#{n}: {}", "x".repeat(100)))
                .collect(),
            max_tokens: 100,
            temperature: 0.4,
        };
        let message = user_message(&ask, 2_000);
        assert!(message.chars().count() <= 2_000);
        assert!(message.contains("#50:") && !message.contains("#1:"));
        let first = message.find("#4").expect("kept some");
        assert!(first < message.find("#50:").expect("newest kept"));
    }
}
