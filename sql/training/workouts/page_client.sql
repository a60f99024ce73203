-- One client's workouts (sql/shared/workouts_of_client.sql), a page of them in the order asked for.
-- `total` is the number of rows the filters match, before LIMIT: the page's total without a COUNT statement of its
-- own (elior.training.workouts.list_workouts runs count_client.sql only when a page past the last comes back empty).
-- It is counted once, by an uncorrelated subquery over the same rows, not by COUNT(*) OVER (): the window made
-- SQLite carry every matching row through a sorter, which cost twice what the whole page does now (bench/README.md,
-- fourth pass). NOT MATERIALIZED lets each of the two readers of `matching` search the index on its own. Dates are
-- always bound (the widest range when not asked for), so the range can use the index.
WITH matching AS NOT MATERIALIZED (
    SELECT {{ workout_columns }}
    {{ workouts_of_client }}
)
SELECT w.*, (SELECT COUNT(*) FROM matching) AS total
FROM matching w
{{ workout_order }}
LIMIT :limit OFFSET :offset
