-- Commerce: carts, order lifecycle, payments, the loyalty ledger, secure links, GDPR consent.

-- Loyalty rule per merchant: points per currency unit paid, and the tiers by lifetime points.
ALTER TABLE merchants
    ADD COLUMN loyalty_points_per_unit numeric(8, 2) NOT NULL DEFAULT 1 CHECK (loyalty_points_per_unit >= 0),
    ADD COLUMN loyalty_tiers jsonb NOT NULL DEFAULT
        '[{"name": "Bronze", "minPoints": 0}, {"name": "Silver", "minPoints": 500}, {"name": "Gold", "minPoints": 1500}]',
    ADD COLUMN order_prefix text CHECK (order_prefix ~ '^[A-Z]{2,6}$');
-- Order numbers read PREFIX-NNNNNN; without a prefix, the first letters of the slug.

-- Registration: the postal address, the balance the ledger keeps, and erasure.
ALTER TABLE customers
    ADD COLUMN address_line   text,
    ADD COLUMN postal_code    text,
    ADD COLUMN city           text,
    ADD COLUMN loyalty_points integer NOT NULL DEFAULT 0 CHECK (loyalty_points >= 0),
    ADD COLUMN erased_at      timestamptz;

-- Every consent given, with the version and a hash of the exact text shown (append-only proof).
CREATE TABLE customer_consents (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose      text NOT NULL,
    version      text NOT NULL,
    language     text NOT NULL,
    text_sha256  text NOT NULL,
    ip           inet,
    user_agent   text,
    granted_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_customer_consents_customer ON customer_consents (merchant_id, customer_id);

-- One cart per customer per merchant: its lines.
CREATE TABLE cart_items (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id   uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    variant      text NOT NULL DEFAULT '',
    quantity     integer NOT NULL CHECK (quantity > 0),
    added_at     timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_cart_items_line ON cart_items (merchant_id, customer_id, product_id, variant);

-- Orders: what the customer saw when ordering, frozen; every status change recorded.
ALTER TABLE orders
    ADD COLUMN shipping_address jsonb,
    ADD COLUMN conversation_id  uuid REFERENCES conversations (id) ON DELETE SET NULL,
    ADD COLUMN paid_at          timestamptz;
ALTER TABLE order_items ADD COLUMN variant text NOT NULL DEFAULT '';

CREATE TABLE order_events (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status  text,
    to_status    text NOT NULL,
    source       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_order_events_order ON order_events (merchant_id, order_id, created_at);

-- Per-merchant order numbers, handed out without gaps between concurrent orders.
CREATE TABLE order_counters (
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    last_number  bigint NOT NULL,
    PRIMARY KEY (merchant_id)
);

-- A payment provider's confirmation, once per (provider, reference): a confirmation that
-- arrives twice finds its row and changes nothing.
CREATE TABLE payments (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    provider     text NOT NULL,
    reference    text NOT NULL,
    amount       numeric(12, 2) NOT NULL,
    currency     char(3) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, provider, reference)
);
CREATE INDEX ix_payments_order ON payments (merchant_id, order_id);

-- The loyalty ledger: append-only. The balance lives on the customer (CHECK >= 0), moved in the
-- same statement as each entry; the idempotency key makes "points for order X" happen once.
CREATE TABLE loyalty_ledger (
    id               uuid PRIMARY KEY,
    merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id      uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    change           integer NOT NULL CHECK (change <> 0),
    reason           text NOT NULL,
    order_id         uuid REFERENCES orders (id) ON DELETE SET NULL,
    idempotency_key  text NOT NULL,
    balance_after    integer NOT NULL CHECK (balance_after >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, idempotency_key)
);
CREATE INDEX ix_loyalty_ledger_customer ON loyalty_ledger (merchant_id, customer_id, created_at DESC);

-- Rows of the ledger are never changed or removed by hand; only the cascades of deleting a
-- merchant or a customer (which run inside a trigger, depth > 1) and SET NULL of a deleted order.
CREATE FUNCTION loyalty_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION 'loyalty_ledger is append-only: add a correcting entry instead' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER loyalty_ledger_append_only BEFORE UPDATE OR DELETE ON loyalty_ledger
    FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_append_only();

-- Secure links: only the SHA-256 of the 256-bit token is stored.
CREATE TABLE secure_links (
    id               uuid PRIMARY KEY,
    merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id      uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose          text NOT NULL CHECK (purpose IN ('register', 'pay', 'order', 'profile')),
    order_id         uuid REFERENCES orders (id) ON DELETE CASCADE,
    conversation_id  uuid REFERENCES conversations (id) ON DELETE SET NULL,
    token_hash       bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    language         text NOT NULL,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((purpose IN ('pay', 'order')) = (order_id IS NOT NULL))
);
CREATE INDEX ix_secure_links_customer ON secure_links (merchant_id, customer_id);
