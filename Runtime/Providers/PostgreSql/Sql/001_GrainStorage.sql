-- Migration 1. Runs in the schema named by Postgres:Schema (it is the connection's search_path), inside the migration
-- transaction, under the migration advisory lock, and only if schema_version has no row 1. It is idempotent all the same.

-- Grain state, one row per storage provider, state name and grain. A cleared state keeps its row with data NULL
-- (a tombstone) so that its version keeps increasing and a stale writer can never recreate it.
-- Updates change no indexed column, so free space on the page lets them be HOT updates.
CREATE TABLE IF NOT EXISTS grain_state
(
    storage_name text        NOT NULL,
    state_name   text        NOT NULL,
    grain_id     text        NOT NULL, -- type/key
    version      bigint      NOT NULL, -- the ETag
    data         text        NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id)
) WITH (fillfactor = 80);

-- Append-only journal entries of a grain state, written in the same transaction as the state.
CREATE TABLE IF NOT EXISTS grain_journal
(
    storage_name text   NOT NULL,
    state_name   text   NOT NULL,
    grain_id     text   NOT NULL,
    sequence     bigint NOT NULL,
    category     text   NULL,
    created_at   bigint NOT NULL, -- UTC ticks (100 ns): timestamptz would round them to microseconds
    data         text   NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id, sequence),
    FOREIGN KEY (storage_name, state_name, grain_id) REFERENCES grain_state (storage_name, state_name, grain_id)
);

-- Pages of one category, newest first.
CREATE INDEX IF NOT EXISTS grain_journal_category
    ON grain_journal (storage_name, state_name, grain_id, category, sequence);
