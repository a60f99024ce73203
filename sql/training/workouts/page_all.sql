-- An admin's list without ?client_id=: every workout (a date range searches workouts_scheduled). `total` as in
-- page_client.sql.
WITH matching AS NOT MATERIALIZED (
    SELECT {{ workout_columns }}
    FROM workouts w
    WHERE :caller_role = 'admin'
      AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
      -- Dates are always bound (the widest range when not asked for), so the range can use the index.
      AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
)
SELECT w.*, (SELECT COUNT(*) FROM matching) AS total
FROM matching w
{{ workout_order }}
LIMIT :limit OFFSET :offset
