-- The teams (Discord servers, Slack workspaces) a member has used mentorbot in, so a leader's
-- view can aggregate over their team without knowing anyone's entries.

CREATE TABLE member_teams (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    platform   TEXT    NOT NULL,
    workspace  TEXT    NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (member_id, platform, workspace)
);

CREATE INDEX member_teams_by_team ON member_teams (platform, workspace);
