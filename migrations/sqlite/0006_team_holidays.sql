-- A team's holidays (days in the members' own time zones): weekly questions, reminders and
-- challenge reminders falling on them are skipped, and streaks freeze over them.

CREATE TABLE team_holidays (
    id         INTEGER PRIMARY KEY,
    platform   TEXT    NOT NULL,
    workspace  TEXT    NOT NULL,
    first_day  TEXT    NOT NULL,
    last_day   TEXT    NOT NULL CHECK (last_day >= first_day),
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (platform, workspace, first_day)
);
