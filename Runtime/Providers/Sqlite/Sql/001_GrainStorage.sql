-- Grain state, one row per storage provider, state name and grain. A cleared state keeps its row with data NULL
-- (a tombstone) so that its version keeps increasing and a stale writer can never recreate it.
CREATE TABLE IF NOT EXISTS grain_state
(
    storage_name TEXT    NOT NULL,
    state_name   TEXT    NOT NULL,
    grain_id     TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    data         TEXT    NULL,
    updated_at   INTEGER NOT NULL, -- UTC ticks
    PRIMARY KEY (storage_name, state_name, grain_id)
);

-- Append-only journal entries of a grain state, written in the same transaction as the state. WITHOUT ROWID: the rows
-- are kept in key order in one b-tree, so an append writes no rowid and no separate key index. Databases created
-- before are rebuilt in this layout once (SqliteSchema).
CREATE TABLE IF NOT EXISTS grain_journal
(
    storage_name TEXT    NOT NULL,
    state_name   TEXT    NOT NULL,
    grain_id     TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    category     TEXT    NULL,
    created_at   INTEGER NOT NULL, -- UTC ticks
    data         TEXT    NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id, sequence),
    FOREIGN KEY (storage_name, state_name, grain_id) REFERENCES grain_state (storage_name, state_name, grain_id)
) WITHOUT ROWID;

-- Pages of one category, newest first.
CREATE INDEX IF NOT EXISTS grain_journal_category
    ON grain_journal (storage_name, state_name, grain_id, category, sequence);
