-- Each member's entries per week (Monday 00:00 UTC weeks) by mode, kept by triggers, so a
-- leader's view of a whole team sums a few rows per member instead of every entry.
CREATE TABLE weekly_mix (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    week       INTEGER NOT NULL,
    management INTEGER NOT NULL DEFAULT 0,
    leadership INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, week)
);

INSERT INTO weekly_mix (member_id, week, management, leadership)
SELECT member_id, (created_at + 259200) / 604800, SUM(mode = 'management'), SUM(mode = 'leadership')
FROM reflections GROUP BY member_id, (created_at + 259200) / 604800;

CREATE TRIGGER weekly_mix_on_insert AFTER INSERT ON reflections BEGIN
    INSERT INTO weekly_mix (member_id, week, management, leadership)
    VALUES (NEW.member_id, (NEW.created_at + 259200) / 604800,
            NEW.mode = 'management', NEW.mode = 'leadership')
    ON CONFLICT (member_id, week) DO UPDATE SET
        management = management + (NEW.mode = 'management'),
        leadership = leadership + (NEW.mode = 'leadership');
END;

CREATE TRIGGER weekly_mix_on_delete AFTER DELETE ON reflections BEGIN
    UPDATE weekly_mix SET
        management = management - (OLD.mode = 'management'),
        leadership = leadership - (OLD.mode = 'leadership')
    WHERE member_id = OLD.member_id AND week = (OLD.created_at + 259200) / 604800;
END;
