-- Holds the row for the read-modify-write of an update, so two updates cannot undo each other's fields.
SELECT id FROM users WHERE id = :id FOR UPDATE
