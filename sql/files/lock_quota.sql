-- SQLite needs no lock statement: every transaction already runs alone on the one writer connection.
SELECT CAST(:user_id AS INTEGER)
