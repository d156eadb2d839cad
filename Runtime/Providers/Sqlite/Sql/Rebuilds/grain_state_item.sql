-- Rebuilds a grain_state_item created with a rowid (before 004 created it WITHOUT ROWID): the same rows, in one
-- b-tree keyed by the primary key. Run once, by SqliteSchema, in the transaction that applies the schema.
CREATE TABLE grain_state_item_rebuilt
(
    storage_name TEXT NOT NULL,
    state_name   TEXT NOT NULL,
    grain_id     TEXT NOT NULL,
    item_key     TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id, item_key)
) WITHOUT ROWID;

INSERT INTO grain_state_item_rebuilt (storage_name, state_name, grain_id, item_key, data)
SELECT storage_name, state_name, grain_id, item_key, data FROM grain_state_item;

DROP TABLE grain_state_item;
ALTER TABLE grain_state_item_rebuilt RENAME TO grain_state_item;
