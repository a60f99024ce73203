-- One workout as GET /api/workouts/{id} answers it, its exercises included, in one statement (training/workouts/get
-- and exercises_of made two): `exercises` is the JSON array of its exercise rows in position order, built here and
-- embedded in the answer as it is. Only if the caller may see the workout (sql/README.md).
-- The array is a window aggregate over the rows in position order (ROWS over the whole partition, one row kept):
-- SQLite 3.40 has no ORDER BY inside group_concat(), and the order of a plain aggregate over an ordered subquery is
-- not promised. The ORDER BY is the index of UNIQUE (workout_id, position), so no sorter runs.
SELECT {{ workout_columns }},
       coalesce((SELECT '[' || group_concat(json_object({{ workout_exercise_fields }}), ',')
                            OVER (ORDER BY we.position ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) || ']'
                 FROM workout_exercises we
                 JOIN exercises e ON e.id = we.exercise_id
                 WHERE we.workout_id = w.id
                 LIMIT 1), '[]') AS exercises
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id
