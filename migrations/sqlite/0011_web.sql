-- The web view: one-time sign-in links and the sessions they open. Only SHA-256 hashes of
-- the tokens are kept. `teams` lists (one per line) the workspaces whose leader's view the
-- member may see, as their platform confirmed when the link was asked for. Both cascade on
-- the member's deletion, so forget signs them out everywhere.

CREATE TABLE web_links (
    token_hash TEXT    PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    teams      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE INDEX web_links_by_member ON web_links (member_id);

CREATE TABLE web_sessions (
    token_hash TEXT    PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    teams      TEXT    NOT NULL DEFAULT '',
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX web_sessions_by_member ON web_sessions (member_id);

-- The log on the web shows each entry's challenge: found from the entry.
CREATE INDEX challenge_checkins_by_reflection ON challenge_checkins (reflection_id);

-- An entry's mode can now be changed (on the web): keep the weekly sums right.
CREATE TRIGGER weekly_mix_on_mode_change AFTER UPDATE OF mode ON reflections
WHEN OLD.mode <> NEW.mode BEGIN
    UPDATE weekly_mix SET
        management = management - (OLD.mode = 'management') + (NEW.mode = 'management'),
        leadership = leadership - (OLD.mode = 'leadership') + (NEW.mode = 'leadership')
    WHERE member_id = NEW.member_id AND week = (NEW.created_at + 259200) / 604800;
END;
