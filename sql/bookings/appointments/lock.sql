-- SQLite: nothing to do. The booking's transaction began with BEGIN IMMEDIATE, which already makes every writer,
-- in every process, wait for it; this reads the two rows so both dialects run the same steps.
SELECT id
FROM users
WHERE id IN (:trainer_id, :client_id)
