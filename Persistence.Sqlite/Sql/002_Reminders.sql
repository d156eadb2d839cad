-- Durable reminders. grain_hash is GrainId.GetUniformHashCode() (0 to 2^32 - 1), so that each silo reads its range of
-- the ring.
CREATE TABLE IF NOT EXISTS reminders
(
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    grain_hash    INTEGER NOT NULL,
    start_at      INTEGER NOT NULL, -- UTC ticks
    period        INTEGER NOT NULL, -- ticks
    etag          INTEGER NOT NULL,
    PRIMARY KEY (grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS reminders_grain_hash ON reminders (grain_hash);

-- ETags of reminders come from one counter, never reused, so that a remover holding the ETag of a deleted row
-- cannot remove a later row of the same name.
CREATE TABLE IF NOT EXISTS reminder_etag
(
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);

INSERT INTO reminder_etag (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
