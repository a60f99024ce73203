-- One client's workouts (searched through workouts_client), within the caller's scope.
-- `total` is the number of rows the filters match, before LIMIT: the page's total without a COUNT statement of its
-- own (elior.training.workouts.list_workouts counts apart only when the page comes back empty). It is counted once,
-- by an uncorrelated subquery over the same rows, not by COUNT(*) OVER (): the window made SQLite carry every
-- matching row through a sorter, which cost twice what the whole page does now (bench/README.md, fourth pass).
-- NOT MATERIALIZED lets each of the two readers of `matching` search the index on its own.
WITH matching AS NOT MATERIALIZED (
    SELECT {{ workout_columns }}
    FROM workouts w
    JOIN users c ON c.id = w.client_id
     AND {{ caller_sees_client }}
    WHERE w.client_id = :client_id
      AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
      -- Dates are always bound (the widest range when not asked for), so the range can use the index.
      AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
)
SELECT w.*, (SELECT COUNT(*) FROM matching) AS total
FROM matching w
{{ workout_order }}
LIMIT :limit OFFSET :offset
