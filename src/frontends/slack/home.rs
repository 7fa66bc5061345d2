//! The App Home tab: published when a member opens it (`app_home_opened`), with their stage,
//! streak, this week's question and its answer button, the balance as text bars, their
//! latest entries, and a button that sends them a sign-in link to the web view by DM.

use serde_json::Value;
use slack_morphism::prelude::*;

use crate::mentor::{Action, Command, MemberRef};

use super::blocks;
use super::handler::Handler;

impl Handler {
    /// An Events API payload: publishes the home tab when it is opened; ignores the rest.
    pub async fn event(&self, payload: &Value) {
        let event = &payload["event"];
        let opened = event["type"] == "app_home_opened"
            && event["tab"].as_str().is_none_or(|tab| tab == "home");
        let (Some(team), Some(user)) = (payload["team_id"].as_str(), event["user"].as_str()) else {
            return;
        };
        if opened {
            let who = self.member_looking(team, user).await;
            self.publish_home(&who).await;
        }
    }

    async fn publish_home(&self, who: &MemberRef) {
        let published = match self.mentor.home(who).await {
            Ok(reply) => {
                self.api
                    .publish_home(&who.user, blocks::home(&reply, &who.user))
                    .await
            }
            Err(error) => {
                crate::frontends::error_text(&error, "building the home tab");
                return;
            }
        };
        if let Err(error) = published {
            tracing::warn!("publishing the home tab failed: {error}");
        }
    }

    /// A button on the home tab, which has no `response_url`: the answer form opens, or the
    /// sign-in link comes by DM.
    pub(super) async fn home_button(&self, press: SlackInteractionBlockActionsEvent) {
        let Some(user) = &press.user else { return };
        let who = self
            .member_quickly(press.team.id.as_ref(), user.id.as_ref())
            .await;
        let pressed = press.actions.as_deref().unwrap_or_default().first();
        let owner = pressed.and_then(|a| a.value.as_deref());
        if owner != Some(who.user.as_str()) {
            return;
        }
        match pressed.and_then(|a| Action::from_id(a.action_id.as_ref())) {
            Some(Action::AnswerPrompt) => {
                let opened = match self.mentor.current_prompt(&who).await {
                    Ok(prompt) => {
                        let form = blocks::reflection_form(prompt.as_ref());
                        self.api
                            .open_view(press.trigger_id.as_ref(), form)
                            .await
                            .map_err(|e| e.to_string())
                    }
                    Err(error) => Err(crate::frontends::error_text(&error, "opening the form")),
                };
                if let Err(error) = opened {
                    tracing::warn!("opening the form from the home tab failed: {error}");
                }
            }
            Some(Action::WebLink) => {
                let leads = self.is_leader(&who).await.unwrap_or(false);
                let teams = leads.then(|| who.workspace.clone()).into_iter().collect();
                let answer = self.mentor.handle(&who, Command::Web { teams }).await;
                let content = match &answer {
                    Ok(reply) => blocks::message(reply, None),
                    Err(error) => blocks::note(&crate::frontends::error_text(error, "/web")),
                };
                self.confirm_by_dm(&who.user, content).await;
            }
            _ => {}
        }
    }
}
