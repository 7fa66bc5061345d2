-- Who may lead a team's challenges, mentoring rounds, holidays and view besides its managers:
-- a Discord role or a Slack user group, set by the team's managers.
CREATE TABLE team_leaders (
    platform     TEXT NOT NULL,
    workspace    TEXT NOT NULL,
    leader_group TEXT NOT NULL,
    PRIMARY KEY (platform, workspace)
);
