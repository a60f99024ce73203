-- SQLite: a transaction already holds the only writer, so reading the row is enough.
SELECT id FROM users WHERE id = :id
