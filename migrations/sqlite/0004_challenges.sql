-- Team-wide leadership challenges: a leader starts one in a channel, members join, check in
-- (each check-in is also an entry in their own log) and say when they are done. The kickoff,
-- the mid-way reminders and the wrap-up digest are outbox rows like the weekly questions.

CREATE TABLE challenges (
    id         INTEGER PRIMARY KEY,
    platform   TEXT    NOT NULL,
    workspace  TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    library_id TEXT,
    title      TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    goal       TEXT    NOT NULL CHECK (length(goal) BETWEEN 1 AND 500),
    check_in   TEXT    NOT NULL CHECK (length(check_in) BETWEEN 1 AND 300),
    done_when  TEXT    NOT NULL CHECK (length(done_when) BETWEEN 1 AND 300),
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL CHECK (ends_at > starts_at),
    ended_at   INTEGER,
    created_at INTEGER NOT NULL
);

CREATE INDEX challenges_by_workspace ON challenges (platform, workspace);

CREATE TABLE challenge_participants (
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    joined_at    INTEGER NOT NULL,
    left_at      INTEGER,
    completed_at INTEGER,
    PRIMARY KEY (challenge_id, member_id)
);

CREATE INDEX challenge_participants_by_member ON challenge_participants (member_id);

CREATE TABLE challenge_checkins (
    id            INTEGER PRIMARY KEY,
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    reflection_id INTEGER NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    shared        INTEGER NOT NULL CHECK (shared IN (0, 1)),
    created_at    INTEGER NOT NULL
);

CREATE INDEX challenge_checkins_by_challenge ON challenge_checkins (challenge_id, member_id);
CREATE INDEX challenge_checkins_by_member ON challenge_checkins (member_id);

INSERT INTO delivery_kinds (name) VALUES
    ('challenge_kickoff'), ('challenge_reminder'), ('challenge_digest');

-- Deliveries gain a challenge: a kickoff or digest is for a challenge (its channel); a
-- mid-way reminder is for one participant of one challenge.
CREATE TABLE deliveries_with_challenges (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL REFERENCES delivery_kinds (name),
    target       TEXT    NOT NULL,
    member_id    INTEGER REFERENCES members (id) ON DELETE CASCADE,
    team_id      INTEGER REFERENCES team_prompts (id) ON DELETE CASCADE,
    challenge_id INTEGER REFERENCES challenges (id) ON DELETE CASCADE,
    due_at       INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'unreachable')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    not_before   INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER,
    message_id   TEXT CHECK (message_id IS NULL OR message_id <> ''),
    error        TEXT,
    finished_at  INTEGER,
    CHECK ((team_id IS NOT NULL) + (challenge_id IS NOT NULL)
           + (member_id IS NOT NULL AND challenge_id IS NULL) = 1),
    CHECK (team_id IS NULL OR member_id IS NULL),
    UNIQUE (kind, target, due_at)
);

INSERT INTO deliveries_with_challenges (id, kind, target, member_id, team_id, due_at, status,
    attempts, not_before, lease_owner, lease_until, message_id, error, finished_at)
SELECT id, kind, target, member_id, team_id, due_at, status, attempts, not_before,
    lease_owner, lease_until, message_id, error, finished_at
FROM deliveries;

DROP TABLE deliveries;
ALTER TABLE deliveries_with_challenges RENAME TO deliveries;

CREATE INDEX deliveries_ready ON deliveries (status, not_before);
CREATE INDEX deliveries_by_member ON deliveries (member_id);
CREATE INDEX deliveries_by_team ON deliveries (team_id);
CREATE INDEX deliveries_by_challenge ON deliveries (challenge_id);
