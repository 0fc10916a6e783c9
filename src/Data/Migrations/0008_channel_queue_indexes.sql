-- The workers' "nothing earlier still waiting for this recipient/sender" checks, answered from an
-- index instead of a scan of every waiting row (quadratic once thousands wait).
CREATE INDEX ix_outbox_messages_recipient ON outbox_messages (merchant_id, to_address, seq) WHERE status IN ('pending', 'sending');
CREATE INDEX ix_inbound_messages_sender ON inbound_messages (merchant_id, from_address, received_at) WHERE status IN ('received', 'processing');
