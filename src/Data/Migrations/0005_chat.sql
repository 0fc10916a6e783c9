-- Chat sessions and what each assistant message cost and cited.

-- A client-chosen session id (the widget's, or the API client's); unique per merchant.
ALTER TABLE conversations ADD COLUMN session_id text;
UPDATE conversations SET session_id = id::text WHERE session_id IS NULL;
ALTER TABLE conversations ALTER COLUMN session_id SET NOT NULL;
CREATE UNIQUE INDEX ux_conversations_session ON conversations (merchant_id, session_id);

-- The contract's channel names: api, widget, whatsapp.
ALTER TABLE conversations DROP CONSTRAINT conversations_channel_check;
UPDATE conversations SET channel = 'widget' WHERE channel = 'web';
ALTER TABLE conversations ADD CONSTRAINT conversations_channel_check CHECK (channel IN ('api', 'widget', 'whatsapp'));

ALTER TABLE messages
    ADD COLUMN language       text,
    ADD COLUMN model          text,
    ADD COLUMN prompt_version text,
    ADD COLUMN input_tokens   integer,
    ADD COLUMN output_tokens  integer,
    ADD COLUMN cost_usd       numeric(12, 6),
    ADD COLUMN latency_ms     integer,
    ADD COLUMN citations      jsonb,
    ADD COLUMN links          jsonb,
    ADD COLUMN error          text;
