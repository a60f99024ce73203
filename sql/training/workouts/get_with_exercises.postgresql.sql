-- One workout as GET /api/workouts/{id} answers it, its exercises included, in one statement (training/workouts/get
-- and exercises_of made two): `exercises` is the JSON array of its exercise rows in position order, built here and
-- embedded in the answer as it is. Only if the caller may see the workout (sql/README.md).
SELECT {{ workout_columns }},
       CAST(coalesce((SELECT json_agg(json_build_object({{ workout_exercise_fields }}) ORDER BY we.position)
                      FROM workout_exercises we
                      JOIN exercises e ON e.id = we.exercise_id
                      WHERE we.workout_id = w.id), CAST('[]' AS JSON)) AS TEXT) AS exercises
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id
