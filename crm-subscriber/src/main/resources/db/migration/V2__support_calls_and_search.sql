-- Support calls the CRM has published (its write side). The view of them is built from the bus
-- like every other event; this table only makes POST retry-safe: a callId is logged once.
CREATE TABLE support_call (
    call_id    UUID        PRIMARY KEY,
    user_id    TEXT        NOT NULL,
    event_id   UUID        NOT NULL,
    channel    TEXT        NOT NULL,
    summary    TEXT        NOT NULL,
    agent      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Customer search is by prefix of a user id or of a product id (text_pattern_ops serves LIKE 'x%'
-- whatever the database collation).
CREATE INDEX customer_profile_user_prefix ON customer_profile (user_id text_pattern_ops);
CREATE INDEX customer_product_product_prefix ON customer_product (product_id text_pattern_ops);
