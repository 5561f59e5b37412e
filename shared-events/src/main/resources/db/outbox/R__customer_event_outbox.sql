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

CREATE INDEX IF NOT EXISTS customer_event_outbox_pending
    ON customer_event_outbox (slot, id) WHERE published_at IS NULL;

CREATE INDEX IF NOT EXISTS customer_event_outbox_published
    ON customer_event_outbox (published_at) WHERE published_at IS NOT NULL;
