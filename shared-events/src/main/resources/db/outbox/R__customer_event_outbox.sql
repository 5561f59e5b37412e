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
    traceparent  TEXT,
    tracestate   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    published_at TIMESTAMPTZ
);

-- The relay reads pending rows in id order through this index. A plain (not bitmap) index scan
-- lets PostgreSQL mark entries of published rows dead and skip them, so the read stays cheap
-- under load until vacuum removes them.
CREATE INDEX IF NOT EXISTS customer_event_outbox_pending_by_id
    ON customer_event_outbox (id) WHERE published_at IS NULL;

CREATE INDEX IF NOT EXISTS customer_event_outbox_published
    ON customer_event_outbox (published_at) WHERE published_at IS NOT NULL;

-- A queue table: every row is written, updated once and deleted, so vacuum it often.
ALTER TABLE customer_event_outbox SET (
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_analyze_scale_factor = 0.0,
    autovacuum_analyze_threshold = 5000);
