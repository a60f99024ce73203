-- SQLite: a transaction already holds the only writer, so reading the invite's maker and trainer is enough.
SELECT id, role FROM users WHERE id = :maker_id OR id = :trainer_id ORDER BY id
