//! Who is asking on Slack: a user id turned into a member, with their name and time zone
//! looked up once (`users.info`) and remembered.

use crate::mentor::MemberRef;
use crate::platform::Platform;

use super::handler::{Handler, QUICK_LOOKUP};

impl Handler {
    /// The member behind a Slack user id. The first time a person is seen, their name and time
    /// zone come from `users.info`, and a new member's nudges start in that zone. A failed
    /// lookup is not remembered, so it is tried again next time.
    pub(super) async fn member(&self, team: &str, user: &str) -> MemberRef {
        let key = format!("{team}/{user}");
        if let Some(name) = self.known_name(&key) {
            return MemberRef::new(Platform::Slack, team, user, &name);
        }
        let person = match self.api.person(user).await {
            Ok(person) => person,
            Err(error) => {
                tracing::warn!("looking up a Slack user failed: {error}");
                return MemberRef::new(Platform::Slack, team, user, user);
            }
        };
        let name = person.name.clone().unwrap_or_else(|| user.to_string());
        let who = MemberRef::new(Platform::Slack, team, user, &name);
        if let Some(zone) = &person.zone
            && let Err(error) = self.mentor.adopt_zone(&who, zone).await
        {
            tracing::warn!("adopting a Slack time zone failed: {error:#}");
        }
        if let Err(error) = self.mentor.seen_in_team(&who, team).await {
            tracing::warn!("noting a member's workspace failed: {error:#}");
        }
        self.known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, name);
        who
    }

    fn known_name(&self, key: &str) -> Option<String> {
        self.known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    /// The member's name as Slack knows it, without noting them as one of the workspace's
    /// team: opening the home tab is not taking part.
    pub(super) async fn member_looking(&self, team: &str, user: &str) -> MemberRef {
        let name = match self.known_name(&format!("{team}/{user}")) {
            Some(name) => name,
            None => match self.api.person(user).await {
                Ok(person) => person.name.unwrap_or_else(|| user.to_string()),
                Err(_) => user.to_string(),
            },
        };
        MemberRef::new(Platform::Slack, team, user, &name)
    }

    /// [`Self::member`] within a second, for answers Slack waits for (a form's submission, a
    /// `trigger_id` that expires after three seconds); slower lookups are left for next time.
    pub(super) async fn member_quickly(&self, team: &str, user: &str) -> MemberRef {
        match tokio::time::timeout(QUICK_LOOKUP, self.member(team, user)).await {
            Ok(who) => who,
            Err(_) => MemberRef::new(Platform::Slack, team, user, user),
        }
    }
}
