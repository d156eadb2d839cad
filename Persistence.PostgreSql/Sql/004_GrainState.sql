-- Script 4: grain state of PostgreSqlGrainStorage, both kinds: journaled state (IJournalStorage) and Orleans'
-- [PersistentState] (IGrainStorage). Rows are keyed by the provider's name too, so two providers never share state.

-- One row per provider, state name and grain. The version is the ETag. A cleared state keeps its row with data NULL
-- (a tombstone), so its version keeps increasing and a writer holding an older ETag can never recreate it.
-- Updates change no indexed column, so free space on the page lets them be HOT updates.
CREATE TABLE IF NOT EXISTS grain_state
(
    storage_name text        NOT NULL,
    state_name   text        NOT NULL,
    grain_id     text        NOT NULL, -- Orleans' GrainId as text: type/key
    version      bigint      NOT NULL,
    data         text        NULL,     -- StateJson; NULL for a tombstone
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id)
) WITH (fillfactor = 80);

-- Append-only journal entries of a journaled state, written in the same transaction as the state.
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

-- Items of a journaled state: history rows (charges, refunds, ...) found by collection and key, and listed by
-- collection newest first by sequence. Written in the same transaction as the state and its entries.
CREATE TABLE IF NOT EXISTS grain_state_item
(
    storage_name text   NOT NULL,
    state_name   text   NOT NULL,
    grain_id     text   NOT NULL,
    collection   text   NOT NULL,
    item_key     text   NOT NULL,
    sequence     bigint NOT NULL,
    data         text   NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id, collection, item_key),
    FOREIGN KEY (storage_name, state_name, grain_id) REFERENCES grain_state (storage_name, state_name, grain_id)
);

-- Pages of a collection, newest first.
CREATE INDEX IF NOT EXISTS grain_state_item_sequence
    ON grain_state_item (storage_name, state_name, grain_id, collection, sequence);
