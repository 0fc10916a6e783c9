-- Channels: WhatsApp numbers per merchant, inbound messages (idempotent by provider id), and a
-- PostgreSQL outbox for everything sent, so a restart loses nothing and sends nothing twice.

-- ASP.NET Core Data Protection keys, shared by every host (they encrypt channel secrets at rest).
CREATE TABLE data_protection_keys (
    id            serial PRIMARY KEY,
    friendly_name text,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE channel_accounts (
    id                     uuid PRIMARY KEY,
    merchant_id            uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    channel                text NOT NULL CHECK (channel IN ('whatsapp')),
    account_sid            text NOT NULL CHECK (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
    auth_token_protected   text NOT NULL,
    from_address           text NOT NULL CHECK (from_address ~ '^whatsapp:\+[1-9][0-9]{6,14}$'),
    messaging_service_sid  text CHECK (messaging_service_sid ~ '^MG[0-9a-fA-F]{32}$'),
    -- Approved templates by notification kind: { "order_status": "HX…", … } (ContentSid).
    templates              jsonb NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_channel_accounts_merchant ON channel_accounts (merchant_id, channel);
CREATE UNIQUE INDEX ux_channel_accounts_number ON channel_accounts (account_sid, from_address);
CREATE UNIQUE INDEX ux_channel_accounts_service ON channel_accounts (messaging_service_sid) WHERE messaging_service_sid IS NOT NULL;

-- The WhatsApp 24-hour window is counted from the customer's last message.
ALTER TABLE customers ADD COLUMN last_inbound_at timestamptz;

-- Every inbound message as received. merchant_id is null for a valid message to a number no
-- merchant has configured (kept for review, never dropped).
CREATE TABLE inbound_messages (
    id               uuid PRIMARY KEY,
    merchant_id      uuid REFERENCES merchants (id) ON DELETE CASCADE,
    provider         text NOT NULL,
    provider_id      text NOT NULL,
    account_sid      text NOT NULL,
    from_address     text NOT NULL,
    to_address       text NOT NULL,
    body             text NOT NULL DEFAULT '',
    media            jsonb NOT NULL DEFAULT '[]',
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processing', 'done', 'unrouted', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    conversation_id  uuid REFERENCES conversations (id) ON DELETE SET NULL,
    error            text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz,
    UNIQUE (provider, provider_id)
);
CREATE INDEX ix_inbound_messages_merchant ON inbound_messages (merchant_id, received_at);
CREATE INDEX ix_inbound_messages_pending ON inbound_messages (received_at) WHERE status IN ('received', 'processing');

CREATE TABLE outbox_messages (
    id               uuid PRIMARY KEY,
    -- Sending order: the parts of a split reply go out in the order they were written.
    seq              bigint GENERATED ALWAYS AS IDENTITY,
    merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    channel          text NOT NULL CHECK (channel IN ('whatsapp')),
    conversation_id  uuid REFERENCES conversations (id) ON DELETE SET NULL,
    customer_id      uuid REFERENCES customers (id) ON DELETE CASCADE,
    to_address       text NOT NULL,
    -- reply (answers a message: free-form), notification (may need a template outside 24 h).
    kind             text NOT NULL CHECK (kind IN ('reply', 'notification')),
    body             text NOT NULL,
    media_url        text,
    template         text,
    template_variables jsonb,
    idempotency_key  text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    locked_until     timestamptz,
    last_error       text,
    provider_id      text,
    provider_status  text,
    provider_error_code integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE UNIQUE INDEX ux_outbox_messages_key ON outbox_messages (merchant_id, idempotency_key);
CREATE INDEX ix_outbox_messages_due ON outbox_messages (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE UNIQUE INDEX ux_outbox_messages_provider ON outbox_messages (provider_id) WHERE provider_id IS NOT NULL;
