-- Items of a grain state: parts of a large state kept in rows of their own, written in the same transaction as the
-- state, so that a write stores only the parts that changed. Cleared with the state. WITHOUT ROWID, as the journal
-- (SqliteSchema rebuilds tables created before).
CREATE TABLE IF NOT EXISTS grain_state_item
(
    storage_name TEXT NOT NULL,
    state_name   TEXT NOT NULL,
    grain_id     TEXT NOT NULL,
    item_key     TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id, item_key)
) WITHOUT ROWID;
