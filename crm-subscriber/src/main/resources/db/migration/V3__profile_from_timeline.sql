-- The profile is no longer kept in tables of its own: it is computed from the customer's timeline
-- when it is read (CustomerQueries). The timeline is then the CRM's only store, written with
-- COPY, so a full replay runs near PostgreSQL's own ingest rate, and a profile can never drift
-- from the events it summarises.
DROP TABLE customer_profile;
DROP TABLE customer_event_count;
DROP TABLE customer_spend;
DROP TABLE customer_product;

-- Byte-order collation: ids are identifiers, and prefix search (LIKE 'abc%') can then use the
-- plain b-tree indexes.
DROP INDEX crm_event_timeline;
ALTER TABLE crm_event ALTER COLUMN user_id TYPE TEXT COLLATE "C";
ALTER TABLE crm_event ALTER COLUMN product_id TYPE TEXT COLLATE "C";
CREATE INDEX crm_event_timeline ON crm_event (user_id, occurred_at DESC, event_id DESC);
CREATE INDEX crm_event_product ON crm_event (product_id, user_id);
-- Products a customer received from others.
CREATE INDEX crm_event_transfer_to ON crm_event ((payload -> 'data' ->> 'toUserId'))
    WHERE event_type = 'product-transfer';
