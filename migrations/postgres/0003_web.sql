-- The web view: one-time sign-in links and the sessions they open (see sqlite/0011_web.sql).

CREATE TABLE web_links (
    token_hash TEXT   PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    teams      TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE INDEX web_links_by_member ON web_links (member_id);

CREATE TABLE web_sessions (
    token_hash TEXT   PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    teams      TEXT   NOT NULL DEFAULT '',
    csrf       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX web_sessions_by_member ON web_sessions (member_id);

-- The log on the web shows each entry's challenge: found from the entry.
CREATE INDEX challenge_checkins_by_reflection ON challenge_checkins (reflection_id);

CREATE FUNCTION weekly_mix_count_mode_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE weekly_mix SET
        management = management - CASE WHEN OLD.mode = 'management' THEN 1 ELSE 0 END
                                + CASE WHEN NEW.mode = 'management' THEN 1 ELSE 0 END,
        leadership = leadership - CASE WHEN OLD.mode = 'leadership' THEN 1 ELSE 0 END
                                + CASE WHEN NEW.mode = 'leadership' THEN 1 ELSE 0 END
    WHERE member_id = NEW.member_id AND week = (NEW.created_at + 259200) / 604800;
    RETURN NULL;
END;
$$;

CREATE TRIGGER weekly_mix_on_mode_change AFTER UPDATE OF mode ON reflections
    FOR EACH ROW WHEN (OLD.mode IS DISTINCT FROM NEW.mode)
    EXECUTE FUNCTION weekly_mix_count_mode_change();
