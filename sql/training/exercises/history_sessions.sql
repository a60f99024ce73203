-- runs long
-- Every logged session of one exercise by one client: the best set (highest Epley e1RM = w * (1 + reps / 30);
-- most reps when there is no weight), the volume (sum of reps x weight), the heaviest weight and the most reps.
-- Searched through set_logs_history (client_id, exercise_id, log_id; it covers the columns read), so its cost is
-- this client's sets of this exercise, whatever the size of the table.
WITH sets AS (
    SELECT s.log_id, s.set_number, s.reps, s.weight_kg,
           CASE WHEN s.reps > 0 THEN s.weight_kg * (1 + s.reps / 30.0) END AS e1rm,
           ROW_NUMBER() OVER (
               PARTITION BY s.log_id
               ORDER BY COALESCE(CASE WHEN s.reps > 0 THEN s.weight_kg * (1 + s.reps / 30.0) END, 0) DESC,
                        s.reps DESC, s.set_number
           ) AS rank
    FROM set_logs s
    JOIN users c ON c.id = s.client_id
     AND {{ caller_sees_client }}
    WHERE s.client_id = :client_id AND s.exercise_id = :exercise_id
)
SELECT l.id AS log_id, l.workout_id, l.performed_at,
       COUNT(*) AS sets,
       SUM(x.reps) AS reps,
       SUM(x.reps * COALESCE(x.weight_kg, 0)) AS volume_kg,
       MAX(x.weight_kg) AS heaviest_kg,
       MAX(x.reps) AS most_reps,
       MAX(x.e1rm) AS e1rm_kg,
       MAX(CASE WHEN x.rank = 1 THEN x.set_number END) AS best_set_number,
       MAX(CASE WHEN x.rank = 1 THEN x.reps END) AS best_reps,
       MAX(CASE WHEN x.rank = 1 THEN x.weight_kg END) AS best_weight_kg
FROM sets x
JOIN workout_logs l ON l.id = x.log_id
GROUP BY l.id, l.workout_id, l.performed_at
ORDER BY l.performed_at, l.id
