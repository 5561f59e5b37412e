-- Every event the CRM has seen, once (eventId is the idempotency key): the customer timeline.
CREATE TABLE crm_event (
    event_id    UUID        PRIMARY KEY,
    user_id     TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    product_id  TEXT,
    occurred_at TIMESTAMPTZ NOT NULL,
    source      TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX crm_event_timeline ON crm_event (user_id, occurred_at DESC, event_id DESC);

-- The profile is made of sums, minima and maxima only, so it does not depend on the order in
-- which events arrive: a replay from the beginning ends with exactly the same rows.
CREATE TABLE customer_profile (
    user_id      TEXT        PRIMARY KEY,
    first_seen   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    event_count  BIGINT      NOT NULL,
    last_contact TIMESTAMPTZ
);

CREATE TABLE customer_event_count (
    user_id    TEXT   NOT NULL,
    event_type TEXT   NOT NULL,
    count      BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_type)
);

CREATE TABLE customer_spend (
    user_id  TEXT           NOT NULL,
    currency CHAR(3)        NOT NULL,
    amount   NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (user_id, currency)
);

CREATE TABLE customer_product (
    user_id    TEXT   NOT NULL,
    product_id TEXT   NOT NULL,
    quantity   BIGINT NOT NULL,
    PRIMARY KEY (user_id, product_id)
);
