-- The ledger of accepted events: a retry of an accepted eventId is answered from here and writes
-- nothing (the outbox forgets a row once it is on the bus; this remembers the id and its content).
CREATE TABLE accepted_event (
    event_id     UUID        PRIMARY KEY,
    publisher    TEXT        NOT NULL,
    event_type   TEXT        NOT NULL,
    -- SHA-256 of the event as accepted (canonical JSON): the same id with other content is a 409.
    content_hash BYTEA       NOT NULL,
    accepted_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX accepted_event_by_age ON accepted_event (accepted_at);
