-- Migration 3: the cluster's membership, one row per silo start. A silo restarted on the same host and port has a new
-- generation, and so a row of its own. Every change is one conditional statement (see PostgreSqlMembershipTable).
CREATE TABLE IF NOT EXISTS silos
(
    host             text    NOT NULL,
    port             integer NOT NULL,
    generation       bigint  NOT NULL,
    status           text    NOT NULL, -- a SiloStatus name: Joining, Active, ShuttingDown, Dead
    host_name        text    NOT NULL,
    started_at       bigint  NOT NULL, -- UTC ticks
    i_am_alive_at    bigint  NOT NULL, -- UTC ticks, the silo's last heartbeat
    activation_count integer NOT NULL,
    PRIMARY KEY (host, port, generation)
);
