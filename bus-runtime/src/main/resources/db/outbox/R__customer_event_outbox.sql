-- The transactional outbox shared by every publishing service (add db/outbox to its Flyway
-- locations). A repeatable migration, written to be re-runnable, so that it never collides
-- with the versions of a service's own migrations; change it only additively.
CREATE TABLE IF NOT EXISTS customer_event_outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    event_type   TEXT        NOT NULL,
    user_id      TEXT        NOT NULL,
    -- Relays own slots (hash of userId): one active relay per slot keeps per-customer order.
    slot         SMALLINT    NOT NULL,
    payload      TEXT        NOT NULL,
    source       TEXT,
    occurred_at  TIMESTAMPTZ,
    traceparent  TEXT,
    tracestate   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- The event's source and time beside its payload (with event_id, event_type and user_id: all the
-- record's CloudEvents attributes), so that the relay need not parse the payload to send it. Null
-- where the writer did not store them — an outbox writer from before these columns, an occurredAt
-- finer than PostgreSQL's microseconds —: the relay then reads them from the payload.
-- Altered only where they are missing: ADD COLUMN takes the table's exclusive lock even when the
-- column exists, and every re-run of this file would make writers queue behind it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'customer_event_outbox'
                     AND column_name = 'occurred_at') THEN
        ALTER TABLE customer_event_outbox ADD COLUMN source TEXT, ADD COLUMN occurred_at TIMESTAMPTZ;
    END IF;
END $$;

-- Every row is pending: the relay deletes a row once the broker acknowledged it, and reads the
-- rest in id order through the primary key. Outboxes from before that kept published rows for an
-- hour, marked in published_at; those rows are published, so they go too.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'customer_event_outbox'
                 AND column_name = 'published_at') THEN
        DELETE FROM customer_event_outbox WHERE published_at IS NOT NULL;
        ALTER TABLE customer_event_outbox DROP COLUMN published_at;
    END IF;
END $$;

-- A queue table: every row is written once and deleted, so vacuum it often (the relay also
-- vacuums it itself, for servers where autovacuum is off or behind).
ALTER TABLE customer_event_outbox SET (
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_analyze_scale_factor = 0.0,
    autovacuum_analyze_threshold = 5000);

-- Which relay (its Kafka transactional id) last took each slot. A relay killed in the middle of a
-- Kafka transaction leaves it open, and every read_committed subscriber of the partitions it wrote
-- to waits behind it until the broker times it out (a minute and more). The relay that takes the
-- slot over reads the id here and fences it — the broker then aborts that transaction at once.
CREATE TABLE IF NOT EXISTS customer_event_outbox_relay (
    slot             SMALLINT    PRIMARY KEY,
    transactional_id TEXT        NOT NULL,
    claimed_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
