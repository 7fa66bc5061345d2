//! Forget: after an explicit confirmation, delete everything stored about the member.

use crate::error::Result;

use super::{Action, ButtonStyle, ForgetStep, MemberRef, Mentor, Reply, messages};

impl Mentor {
    pub(super) async fn forget(&self, who: &MemberRef, step: ForgetStep) -> Result<Reply> {
        let member = self.find_member(who).await?;
        match (step, member) {
            (ForgetStep::Cancel, _) => Ok(Reply::new("Kept", messages::FORGET_CANCELLED).private()),
            (_, None) => Ok(Reply::new("Nothing to forget", messages::FORGET_NOTHING).private()),
            (ForgetStep::Ask, Some(member)) => {
                let entries = self
                    .store
                    .mode_counts_since(member.id, i64::MIN)
                    .await?
                    .total();
                Ok(Reply::new(
                    "Delete everything about you?",
                    format!(
                        "This deletes your development log ({}), your stage and your history with mentorbot. \
                         It cannot be undone. If you want a copy, run /export first.",
                        super::words::count_of(entries, "entry", "entries")
                    ),
                )
                .private()
                .button(Action::ForgetConfirm, "Delete everything", ButtonStyle::Danger)
                .button(Action::ForgetCancel, "Keep my log", ButtonStyle::Secondary))
            }
            (ForgetStep::Confirm, Some(member)) => {
                let removed = self.store.forget_member(member.id).await?;
                let removed = super::words::count_of(removed, "row", "rows");
                Ok(Reply::new(
                    "Forgotten",
                    format!("Done. I deleted {removed}: everything mentorbot stored about you."),
                )
                .private())
            }
        }
    }
}
