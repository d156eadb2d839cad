-- The data of a grain state, apart from its version row. SQLite rewrites a whole row on every update, so a large
-- state kept in grain_state would be rewritten by every write that only moves the version on (an append to an
-- event-sourced journal). grain_state.data is NULL for states written since this table exists.
CREATE TABLE IF NOT EXISTS grain_state_data
(
    storage_name TEXT NOT NULL,
    state_name   TEXT NOT NULL,
    grain_id     TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (storage_name, state_name, grain_id)
);
