-- The coach on the team's own model: who turned it on, what it wrote into each member's log
-- (follow-up questions, reviews, second opinions), and what each day's calls
-- cost, as counts only. Every table cascades on the member's deletion, so forget removes it.

CREATE TABLE coach_members (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    enabled_at INTEGER NOT NULL
);

CREATE TABLE coach_notes (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    entry      INTEGER,
    kind       TEXT    NOT NULL CHECK (kind IN ('follow_up', 'review', 'hat')),
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX coach_notes_by_member ON coach_notes (member_id, entry);

CREATE TABLE coach_usage (
    member_id         INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    day               TEXT    NOT NULL,
    calls             INTEGER NOT NULL DEFAULT 0,
    failures          INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    latency_ms        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, day)
);
