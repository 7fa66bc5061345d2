-- Delivery kinds become rows of their own table, so adding a kind is one INSERT line in a new
-- migration instead of a table rebuild. The outbox is rebuilt once to reference it, to say
-- that a delivery is for exactly one member or team, and that a sent row names its message.

CREATE TABLE delivery_kinds (
    name TEXT PRIMARY KEY
);

INSERT INTO delivery_kinds (name) VALUES ('nudge'), ('reminder'), ('team_prompt');

CREATE TABLE deliveries_typed (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL REFERENCES delivery_kinds (name),
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
    message_id  TEXT CHECK (message_id IS NULL OR message_id <> ''),
    error       TEXT,
    finished_at INTEGER,
    CHECK ((member_id IS NULL) <> (team_id IS NULL)),
    UNIQUE (kind, target, due_at)
);

INSERT INTO deliveries_typed (id, kind, target, member_id, team_id, due_at, status, attempts,
    not_before, lease_owner, lease_until, message_id, error, finished_at)
SELECT id, kind, target, member_id, team_id, due_at, status, attempts,
    not_before, lease_owner, lease_until, NULLIF(message_id, ''), error, finished_at
FROM deliveries
WHERE (member_id IS NULL) <> (team_id IS NULL);

DROP TABLE deliveries;
ALTER TABLE deliveries_typed RENAME TO deliveries;

CREATE INDEX deliveries_ready ON deliveries (status, not_before);
CREATE INDEX deliveries_by_member ON deliveries (member_id);
CREATE INDEX deliveries_by_team ON deliveries (team_id);
