-- Migration 2: durable reminders. grain_hash is GrainId.GetUniformHashCode() (an unsigned 32-bit value), so that
-- silos can read their share of the ring with a range scan.
CREATE TABLE IF NOT EXISTS reminders
(
    grain_id      text   NOT NULL,
    reminder_name text   NOT NULL,
    grain_hash    bigint NOT NULL CHECK (grain_hash BETWEEN 0 AND 4294967295),
    start_at      bigint NOT NULL, -- UTC ticks
    period        bigint NOT NULL, -- ticks
    etag          bigint NOT NULL,
    PRIMARY KEY (grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS reminders_grain_hash ON reminders (grain_hash);

-- ETags of reminders come from one sequence, never reused (nextval is not rolled back), so that a remover holding
-- the ETag of a deleted row cannot remove a later row of the same name, whichever silo wrote it.
CREATE SEQUENCE IF NOT EXISTS reminder_etag;
