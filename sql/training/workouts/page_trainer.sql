-- A trainer's list without ?client_id=: the workouts of the clients of trainer_id (the caller), searched through
-- users_trainer then workouts_client; the visibility rule still applies, as to every list. `total` as in
-- page_client.sql.
WITH matching AS NOT MATERIALIZED (
    SELECT {{ workout_columns }}
    FROM users c
    JOIN workouts w ON w.client_id = c.id
    WHERE c.trainer_id = :trainer_id AND {{ caller_sees_client }}
      AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
      -- Dates are always bound (the widest range when not asked for), so the range can use the index.
      AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
)
SELECT w.*, (SELECT COUNT(*) FROM matching) AS total
FROM matching w
{{ workout_order }}
LIMIT :limit OFFSET :offset
