-- Script 1: the catalog of queries that Orleans' ADO.NET providers (clustering, reminders) read at start with
-- "SELECT QueryKey, QueryText FROM OrleansQuery" and then run as they are. Orleans' NuGet packages hold no SQL: the
-- tables below and the query rows of the next scripts are this project's own.
--
-- Runs inside the schema transaction, under the advisory lock, with the connection's search path: every object is
-- created unqualified, in the schema that the search path names first (Postgres:Schema, else the database's default),
-- because Orleans' queries name their tables unqualified too. It is idempotent all the same.
-- Unquoted names fold to lower case in PostgreSQL; Npgsql finds the columns Orleans asks for (QueryKey, ...) by a
-- case-insensitive match, so the names are written here as Orleans spells them.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
