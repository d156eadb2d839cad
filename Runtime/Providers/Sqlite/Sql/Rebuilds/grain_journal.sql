-- Rebuilds a grain_journal created with a rowid (before 001 created it WITHOUT ROWID): the same rows, in one b-tree
-- keyed by the primary key. Run once, by SqliteSchema, in the transaction that applies the schema.
CREATE TABLE grain_journal_rebuilt
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

INSERT INTO grain_journal_rebuilt (storage_name, state_name, grain_id, sequence, category, created_at, data)
SELECT storage_name, state_name, grain_id, sequence, category, created_at, data FROM grain_journal;

DROP TABLE grain_journal;
ALTER TABLE grain_journal_rebuilt RENAME TO grain_journal;

CREATE INDEX grain_journal_category
    ON grain_journal (storage_name, state_name, grain_id, category, sequence);
