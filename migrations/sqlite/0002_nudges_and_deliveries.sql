-- Weekly nudges: each member's rule, their pauses, team prompts, and the outbox of
-- deliveries. A delivery's natural key (kind, target, due_at) is unique, so planning the
-- same occurrence twice is harmless. Times are Unix seconds (UTC).

CREATE TABLE nudge_settings (
    member_id         INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    weekday           INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7), -- ISO, 1 = Monday
    minute_of_day     INTEGER NOT NULL DEFAULT 570 CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone          TEXT    NOT NULL DEFAULT 'UTC',
    enabled           INTEGER NOT NULL DEFAULT 1,
    reminder          INTEGER NOT NULL DEFAULT 1,
    paused_until      INTEGER,
    timezone_asked    INTEGER NOT NULL DEFAULT 0,
    unreachable_since INTEGER,
    unreachable_told  INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE nudge_pauses (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL
);

CREATE TABLE team_prompts (
    id            INTEGER PRIMARY KEY,
    platform      TEXT    NOT NULL,
    workspace     TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone      TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (platform, workspace)
);

CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('nudge', 'reminder', 'team_prompt')),
    target      TEXT    NOT NULL,
    member_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
    team_id     INTEGER REFERENCES team_prompts (id) ON DELETE CASCADE,
    due_at      INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'unreachable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    message_id  TEXT,
    error       TEXT,
    finished_at INTEGER,
    UNIQUE (kind, target, due_at)
);

CREATE INDEX deliveries_ready ON deliveries (status, not_before);
CREATE INDEX deliveries_by_member ON deliveries (member_id);
