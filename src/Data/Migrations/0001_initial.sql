-- Foundation schema. Every tenant table carries merchant_id (indexed, and the distribution
-- column if we ever shard with Citus).
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE merchants (
    id                uuid PRIMARY KEY,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    status            text NOT NULL DEFAULT 'trial' CHECK (status IN ('active', 'suspended', 'trial')),
    plan              text NOT NULL DEFAULT 'free',
    default_language  text NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'it', 'es')),
    currency          char(3) NOT NULL DEFAULT 'EUR',
    allowed_origins   text[] NOT NULL DEFAULT '{}',
    ai_provider       text NOT NULL DEFAULT 'local',
    ai_model          text NOT NULL DEFAULT 'local-intent-v1',
    ai_temperature    double precision NOT NULL DEFAULT 0.7 CHECK (ai_temperature BETWEEN 0 AND 2),
    ai_max_tokens     integer NOT NULL DEFAULT 250 CHECK (ai_max_tokens BETWEEN 1 AND 32000),
    ai_top_p          double precision NOT NULL DEFAULT 0.95 CHECK (ai_top_p > 0 AND ai_top_p <= 1),
    ai_system_prompt  text NOT NULL DEFAULT 'shop-assistant',
    ai_memory_window  integer NOT NULL DEFAULT 10 CHECK (ai_memory_window BETWEEN 1 AND 200),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('secret', 'publishable')),
    mode          text NOT NULL CHECK (mode IN ('test', 'live')),
    prefix        text NOT NULL UNIQUE,
    hash          bytea NOT NULL CHECK (length(hash) = 32),
    name          text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX ix_api_keys_merchant ON api_keys (merchant_id);

CREATE TABLE customers (
    id             uuid PRIMARY KEY,
    merchant_id    uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    external_id    text,
    phone          text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email          text,
    name           text,
    language       text CHECK (language IN ('en', 'it', 'es')),
    country        char(2),
    registered_at  timestamptz,
    consent_at     timestamptz,
    blocked        boolean NOT NULL DEFAULT false,
    opted_out      boolean NOT NULL DEFAULT false,
    opted_out_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_customers_merchant ON customers (merchant_id, id);
CREATE UNIQUE INDEX ux_customers_phone ON customers (merchant_id, phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX ux_customers_email ON customers (merchant_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX ux_customers_external ON customers (merchant_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE conversations (
    id               uuid PRIMARY KEY,
    merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    customer_id      uuid REFERENCES customers (id) ON DELETE SET NULL,
    channel          text NOT NULL CHECK (channel IN ('api', 'web', 'whatsapp')),
    language         text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_message_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_conversations_merchant ON conversations (merchant_id, last_message_at DESC);
CREATE INDEX ix_conversations_customer ON conversations (merchant_id, customer_id);

CREATE TABLE messages (
    id               uuid PRIMARY KEY,
    merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    conversation_id  uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role             text NOT NULL CHECK (role IN ('user', 'assistant', 'tool', 'system')),
    content          text NOT NULL,
    tool_calls       jsonb,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_messages_merchant ON messages (merchant_id);
CREATE INDEX ix_messages_conversation ON messages (conversation_id, created_at, id);

CREATE TABLE products (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    sku          text NOT NULL,
    category     text NOT NULL,
    price        numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency     char(3) NOT NULL DEFAULT 'EUR',
    stock        integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    image_url    text,
    attributes   jsonb NOT NULL DEFAULT '{}',
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, sku)
);
CREATE INDEX ix_products_merchant_category ON products (merchant_id, category);

CREATE TABLE product_translations (
    product_id   uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    language     text NOT NULL CHECK (language IN ('en', 'it', 'es')),
    name         text NOT NULL,
    description  text NOT NULL,
    PRIMARY KEY (product_id, language)
);
CREATE INDEX ix_product_translations_merchant ON product_translations (merchant_id);

CREATE TABLE orders (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    number       text NOT NULL,
    external_id  text,
    customer_id  uuid REFERENCES customers (id) ON DELETE SET NULL,
    status       text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
    currency     char(3) NOT NULL DEFAULT 'EUR',
    channel      text NOT NULL DEFAULT 'web',
    subtotal     numeric(12, 2) NOT NULL DEFAULT 0,
    total        numeric(12, 2) NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, number)
);
CREATE INDEX ix_orders_merchant_created ON orders (merchant_id, created_at);
CREATE INDEX ix_orders_customer ON orders (merchant_id, customer_id, created_at);
CREATE UNIQUE INDEX ux_orders_external ON orders (merchant_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE order_items (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id   uuid REFERENCES products (id) ON DELETE SET NULL,
    sku          text NOT NULL,
    name         text NOT NULL,
    category     text,
    quantity     integer NOT NULL CHECK (quantity > 0),
    unit_price   numeric(12, 2) NOT NULL CHECK (unit_price >= 0)
);
CREATE INDEX ix_order_items_merchant ON order_items (merchant_id);
CREATE INDEX ix_order_items_order ON order_items (order_id);

CREATE TABLE documents (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    type         text NOT NULL CHECK (type IN ('product', 'faq', 'policy', 'review')),
    title        text NOT NULL,
    body         text NOT NULL,
    language     text NOT NULL CHECK (language IN ('en', 'it', 'es')),
    metadata     jsonb NOT NULL DEFAULT '{}',
    source_id    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_documents_merchant ON documents (merchant_id, type);
CREATE UNIQUE INDEX ux_documents_source ON documents (merchant_id, type, source_id, language) WHERE source_id IS NOT NULL;
