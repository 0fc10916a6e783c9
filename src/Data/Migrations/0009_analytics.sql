-- Analytics: read-only views for merchant questions, the roles that may read them, row-level
-- security by merchant, and the tables where the insight jobs keep their latest results.
--
-- Every analytics query (the semantic layer's and a hosted model's SQL alike) runs as
-- agents_analytics inside a READ ONLY transaction with the merchant set in agents.merchant_id.
-- That role can read the analytics views and nothing else. The views are owned by
-- agents_analytics_owner, which reads the base tables under row-level security: its policies
-- only let through rows of the merchant named in agents.merchant_id (none when it is unset).
-- The application's own role owns the tables and is not subject to these policies.

-- Roles are cluster-wide: several databases (and several test databases at once) may get here.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agents_analytics_owner') THEN
        CREATE ROLE agents_analytics_owner NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agents_analytics') THEN
        CREATE ROLE agents_analytics NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
-- The application switches to the reader with SET LOCAL ROLE, and hands views to the owner.
DO $$
BEGIN
    EXECUTE format('GRANT agents_analytics TO %I', current_user);
    EXECUTE format('GRANT agents_analytics_owner TO %I', current_user);
EXCEPTION WHEN duplicate_object OR invalid_grant_operation THEN NULL;
END $$;

CREATE FUNCTION analytics_merchant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT nullif(current_setting('agents.merchant_id', true), '')::uuid $$;

-- Row-level security on every table an analytics view reads. Only the views' owner has a policy;
-- the table owner (the application) bypasses RLS, every other role sees nothing.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['orders', 'order_items', 'customers', 'loyalty_ledger', 'conversations', 'messages', 'products']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY analytics_by_merchant ON %I FOR SELECT TO agents_analytics_owner USING (merchant_id = analytics_merchant())', t);
        EXECUTE format('GRANT SELECT ON %I TO agents_analytics_owner', t);
    END LOOP;
END $$;

-- Insight results: the latest run per merchant and kind replaces the previous one.
CREATE TABLE insight_runs (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('anomalies', 'churn', 'rfm')),
    trigger      text NOT NULL CHECK (trigger IN ('nightly', 'on_demand', 'import')),
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    metrics      jsonb NOT NULL DEFAULT '{}',
    error        text
);
CREATE INDEX ix_insight_runs_merchant ON insight_runs (merchant_id, kind, started_at DESC);

CREATE TABLE insight_anomalies (
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    metric       text NOT NULL CHECK (metric IN ('revenue', 'orders', 'aov')),
    day          date NOT NULL,
    expected     double precision NOT NULL,
    actual       double precision NOT NULL,
    score        double precision NOT NULL,
    severity     text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    direction    text NOT NULL CHECK (direction IN ('spike', 'drop')),
    explanation  jsonb NOT NULL DEFAULT '{}',
    run_id       uuid NOT NULL REFERENCES insight_runs (id) ON DELETE CASCADE,
    PRIMARY KEY (merchant_id, metric, day)
);

CREATE TABLE insight_churn (
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    probability  double precision NOT NULL CHECK (probability BETWEEN 0 AND 1),
    reasons      jsonb NOT NULL DEFAULT '[]',
    features     jsonb NOT NULL DEFAULT '{}',
    run_id       uuid NOT NULL REFERENCES insight_runs (id) ON DELETE CASCADE,
    PRIMARY KEY (merchant_id, customer_id)
);
CREATE INDEX ix_insight_churn_probability ON insight_churn (merchant_id, probability DESC);

CREATE TABLE insight_rfm (
    merchant_id     uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id     uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    recency_days    integer NOT NULL,
    frequency       integer NOT NULL,
    monetary        numeric(14, 2) NOT NULL,
    r               smallint NOT NULL CHECK (r BETWEEN 1 AND 5),
    f               smallint NOT NULL CHECK (f BETWEEN 1 AND 5),
    m               smallint NOT NULL CHECK (m BETWEEN 1 AND 5),
    cluster         smallint NOT NULL,
    segment         text NOT NULL,
    run_id          uuid NOT NULL REFERENCES insight_runs (id) ON DELETE CASCADE,
    PRIMARY KEY (merchant_id, customer_id)
);
CREATE INDEX ix_insight_rfm_segment ON insight_rfm (merchant_id, segment, monetary DESC);

ALTER TABLE insight_rfm ENABLE ROW LEVEL SECURITY;
CREATE POLICY analytics_by_merchant ON insight_rfm FOR SELECT TO agents_analytics_owner USING (merchant_id = analytics_merchant());
GRANT SELECT ON insight_rfm TO agents_analytics_owner;

-- The analytics views. Money is in the merchant's currency; days are UTC dates. An order
-- "counts" (revenue, orders, AOV, customers) when it is paid, shipped or delivered.
CREATE SCHEMA analytics;
GRANT USAGE, CREATE ON SCHEMA analytics TO agents_analytics_owner;

CREATE VIEW analytics.orders AS
SELECT o.id AS order_id, o.number, o.external_id, o.customer_id, o.status,
       o.status IN ('paid', 'shipped', 'delivered') AS counted,
       o.currency, o.channel, o.subtotal, o.total, o.created_at,
       (o.created_at AT TIME ZONE 'UTC')::date AS day,
       c.country
FROM orders o
LEFT JOIN customers c ON c.id = o.customer_id;

CREATE VIEW analytics.order_items AS
SELECT i.order_id, i.id AS item_id, i.sku, i.name AS product_name, coalesce(i.category, p.category) AS category,
       i.quantity, i.unit_price, i.quantity * i.unit_price AS line_total,
       o.status, o.status IN ('paid', 'shipped', 'delivered') AS counted,
       o.channel, o.customer_id, o.created_at, (o.created_at AT TIME ZONE 'UTC')::date AS day,
       c.country
FROM order_items i
JOIN orders o ON o.id = i.order_id
LEFT JOIN products p ON p.id = i.product_id
LEFT JOIN customers c ON c.id = o.customer_id;

CREATE VIEW analytics.customers AS
SELECT c.id AS customer_id, c.created_at, c.country, c.language,
       (SELECT min(o.created_at AT TIME ZONE 'UTC')::date FROM orders o
        WHERE o.customer_id = c.id AND o.status IN ('paid', 'shipped', 'delivered')) AS first_order_day,
       coalesce(r.segment, 'Unscored') AS segment
FROM customers c
LEFT JOIN insight_rfm r ON r.customer_id = c.id
WHERE c.erased_at IS NULL;

CREATE VIEW analytics.loyalty AS
SELECT l.customer_id, l.change, l.reason, l.order_id, l.created_at, (l.created_at AT TIME ZONE 'UTC')::date AS day
FROM loyalty_ledger l;

CREATE VIEW analytics.conversations AS
SELECT v.id AS conversation_id, v.customer_id, v.channel, v.language, v.created_at, (v.created_at AT TIME ZONE 'UTC')::date AS day
FROM conversations v;

-- What shoppers asked: their messages, nothing the assistant or tools wrote.
CREATE VIEW analytics.questions AS
SELECT m.conversation_id, m.content, m.created_at, (m.created_at AT TIME ZONE 'UTC')::date AS day
FROM messages m
WHERE m.role = 'user';

ALTER VIEW analytics.orders OWNER TO agents_analytics_owner;
ALTER VIEW analytics.order_items OWNER TO agents_analytics_owner;
ALTER VIEW analytics.customers OWNER TO agents_analytics_owner;
ALTER VIEW analytics.loyalty OWNER TO agents_analytics_owner;
ALTER VIEW analytics.conversations OWNER TO agents_analytics_owner;
ALTER VIEW analytics.questions OWNER TO agents_analytics_owner;

GRANT USAGE ON SCHEMA analytics TO agents_analytics;
GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO agents_analytics;
GRANT EXECUTE ON FUNCTION analytics_merchant() TO agents_analytics_owner;

-- Bulk imports upsert by external id; these help the per-merchant lookups of the insight jobs.
CREATE INDEX ix_order_items_order_sku ON order_items (order_id, sku);
