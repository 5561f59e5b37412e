-- Purchases are the source of truth; their events reach the bus through customer_event_outbox.
CREATE TABLE purchase (
    id              UUID           PRIMARY KEY,
    user_id         TEXT           NOT NULL,
    product_id      TEXT           NOT NULL,
    quantity        INTEGER        NOT NULL CHECK (quantity > 0),
    unit_price      NUMERIC(12, 2) NOT NULL CHECK (unit_price >= 0),
    total_price     NUMERIC(15, 2) NOT NULL CHECK (total_price >= 0),
    currency        CHAR(3)        NOT NULL,
    created_at      TIMESTAMPTZ    NOT NULL,
    event_id        UUID           NOT NULL UNIQUE,
    refunded_at     TIMESTAMPTZ,
    refund_event_id UUID           UNIQUE
);

CREATE INDEX purchase_by_user_newest_first ON purchase (user_id, created_at DESC, id);

-- A retried POST with the same Idempotency-Key returns the stored response and writes nothing.
CREATE TABLE idempotency_key (
    user_id         TEXT        NOT NULL,
    operation       TEXT        NOT NULL,
    key             TEXT        NOT NULL,
    request_hash    TEXT        NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, operation, key)
);
