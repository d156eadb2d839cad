-- Script 5: named sets of short strings (a channel's friends, a customer file's phone numbers) and chunked uploads.
-- A set's name is stored once; members carry its integer id, which keeps the member index small for sets of millions.
CREATE TABLE IF NOT EXISTS key_set
(
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text   NOT NULL UNIQUE
);

-- The members of a set are one range of the primary key: counting, comparing and paging a set reads only that range.
CREATE TABLE IF NOT EXISTS key_set_member
(
    set_id bigint NOT NULL REFERENCES key_set (id),
    member text   NOT NULL,
    PRIMARY KEY (set_id, member)
);

-- Chunks of stored byte sequences (uploads).
CREATE TABLE IF NOT EXISTS blob_chunk
(
    blob  text    NOT NULL,
    chunk integer NOT NULL,
    data  bytea   NOT NULL,
    PRIMARY KEY (blob, chunk)
);
