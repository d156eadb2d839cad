-- Named sets of short strings (a channel's friends, a customer file's phone numbers). A set's name is stored once;
-- members carry its integer id, which keeps the member index small for sets of millions.
CREATE TABLE IF NOT EXISTS key_set
(
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

-- WITHOUT ROWID: the members of a set are one range of the primary key, so counting, comparing and paging a set
-- reads only that range, and comparing two sets is a merge of two ordered ranges.
CREATE TABLE IF NOT EXISTS key_set_member
(
    set_id INTEGER NOT NULL REFERENCES key_set (id),
    member TEXT    NOT NULL,
    PRIMARY KEY (set_id, member)
) WITHOUT ROWID;

-- Chunks of stored byte sequences (uploads). A rowid table: chunks are large, which WITHOUT ROWID tables store badly.
CREATE TABLE IF NOT EXISTS blob_chunk
(
    blob  TEXT    NOT NULL,
    chunk INTEGER NOT NULL,
    data  BLOB    NOT NULL,
    UNIQUE (blob, chunk)
);
