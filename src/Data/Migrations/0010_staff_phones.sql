-- WhatsApp numbers of a merchant's staff: their messages are questions for the analytics assistant.
ALTER TABLE merchants ADD COLUMN staff_phones text[] NOT NULL DEFAULT '{}'
    CHECK (array_position(staff_phones, NULL) IS NULL);
