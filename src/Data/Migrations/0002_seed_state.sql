-- What a seeder last applied for a merchant (the demo catalogue's checksum), so a restart with
-- unchanged seed files costs one query instead of a re-import.
CREATE TABLE seed_state (
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name         text NOT NULL,
    checksum     text NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, name)
);
