-- Mentoring pairs: members of a team opt in; a leader sets rounds every few weeks; each round
-- pairs a more senior member with a less senior one. The introductions and the follow-up a
-- week later are outbox rows for each member.

CREATE TABLE mentoring_optins (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    platform   TEXT    NOT NULL,
    workspace  TEXT    NOT NULL,
    opted_in   INTEGER NOT NULL,
    PRIMARY KEY (member_id, platform, workspace)
);

CREATE TABLE mentoring_schedules (
    platform      TEXT    NOT NULL,
    workspace     TEXT    NOT NULL,
    every_weeks   INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 12),
    next_round_at INTEGER NOT NULL,
    PRIMARY KEY (platform, workspace)
);

-- One row per member per round: their partner (NULL for the one left out) and their role.
CREATE TABLE mentoring_pairs (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    platform   TEXT    NOT NULL,
    workspace  TEXT    NOT NULL,
    round_at   INTEGER NOT NULL,
    partner_id INTEGER REFERENCES members (id) ON DELETE SET NULL,
    mentors    INTEGER NOT NULL CHECK (mentors IN (0, 1)),
    PRIMARY KEY (member_id, platform, workspace, round_at)
);

CREATE INDEX mentoring_pairs_by_team ON mentoring_pairs (platform, workspace, round_at);

INSERT INTO delivery_kinds (name) VALUES ('mentoring_intro'), ('mentoring_follow_up');
