-- A trainer's list without ?client_id= (sql/shared/workouts_of_trainer.sql), a page of it; `total` as in
-- page_client.sql.
WITH matching AS NOT MATERIALIZED (
    SELECT {{ workout_columns }}
    {{ workouts_of_trainer }}
)
SELECT w.*, (SELECT COUNT(*) FROM matching) AS total
FROM matching w
{{ workout_order }}
LIMIT :limit OFFSET :offset
