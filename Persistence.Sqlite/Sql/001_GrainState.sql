-- Grain state, one row per storage provider, state name and grain: its version is the ETag. A cleared state keeps its
-- row (a tombstone, with no grain_state_data row) so that its version keeps increasing and a stale writer can never
-- recreate it.
CREATE TABLE IF NOT EXISTS grain_state
(
    storage_name TEXT    NOT NULL,
    state_name   TEXT    NOT NULL,
    grain_id     TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL, -- UTC ticks
    PRIMARY KEY (storage_name, state_name, grain_id)
);

-- The data of a grain state, apart from its version row: SQLite rewrites a whole row on every update, so a large state
-- kept beside the version would be rewritten by every write that only appends journal entries.
CREATE TABLE IF NOT EXISTS grain_state_data
(
    storage_name TEXT NOT NULL,
    state_name   TEXT NOT NULL,
    grain_id     TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id)
);

-- Append-only journal entries of a grain state, written in the same transaction as the state. WITHOUT ROWID: the rows
-- are kept in key order in one b-tree, so an append writes no rowid and no separate key index.
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

-- Items of a grain state: history rows (charges, refunds, attempts) kept out of the state, found by collection and
-- key, written in the same transaction as the state. Cleared with the state.
CREATE TABLE IF NOT EXISTS grain_state_item
(
    storage_name TEXT    NOT NULL,
    state_name   TEXT    NOT NULL,
    grain_id     TEXT    NOT NULL,
    collection   TEXT    NOT NULL,
    item_key     TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    data         TEXT    NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id, collection, item_key),
    FOREIGN KEY (storage_name, state_name, grain_id) REFERENCES grain_state (storage_name, state_name, grain_id)
) WITHOUT ROWID;

-- Pages of a collection, newest first. The primary key's item_key is part of every entry, which orders ties.
CREATE INDEX IF NOT EXISTS grain_state_item_sequence
    ON grain_state_item (storage_name, state_name, grain_id, collection, sequence);
