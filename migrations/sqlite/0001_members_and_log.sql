-- Members, their development log, the tips they have seen and the prompt each week.
-- Times are Unix seconds (UTC). Every table about a member cascades on its deletion.

CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL,
    workspace    TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    stage        TEXT,
    created_at   INTEGER NOT NULL,
    UNIQUE (platform, workspace, user_id)
);

CREATE TABLE reflections (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    prompt_id   TEXT,
    text        TEXT    NOT NULL,
    mode        TEXT    NOT NULL CHECK (mode IN ('management', 'leadership')),
    mode_source TEXT    NOT NULL CHECK (mode_source IN ('stated', 'suggested')),
    created_at  INTEGER NOT NULL,
    UNIQUE (member_id, number)
);

CREATE INDEX reflections_by_member_and_time ON reflections (member_id, created_at);

CREATE TABLE tip_views (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    tip_id    TEXT    NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (member_id, tip_id)
);

CREATE TABLE weekly_prompts (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    week_start TEXT    NOT NULL,
    prompt_id  TEXT    NOT NULL,
    PRIMARY KEY (member_id, week_start)
);
