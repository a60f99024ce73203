-- runs long: a trainer's every client on the first request of a day.
-- The attention figures of the clients named by a JSON array of ids (those whose kept figures are stale): per
-- client, workouts due and completed over 7 days (and the 7 before), 30 and 90, their last log, pending meal
-- entries, last weigh-in and planned workouts of the coming week; each read through its own index.
SELECT c.id AS client_id, COALESCE(v.version, 0) AS version,
       SUM(CASE WHEN w.scheduled_for >= :from_7 THEN 1 ELSE 0 END) AS due_7,
       SUM(CASE WHEN w.scheduled_for >= :from_7 AND w.status = 'completed' THEN 1 ELSE 0 END) AS completed_7,
       SUM(CASE WHEN w.scheduled_for >= :previous_from AND w.scheduled_for < :from_7 THEN 1 ELSE 0 END)
           AS due_previous_7,
       SUM(CASE WHEN w.scheduled_for >= :previous_from AND w.scheduled_for < :from_7 AND w.status = 'completed'
                THEN 1 ELSE 0 END) AS completed_previous_7,
       SUM(CASE WHEN w.scheduled_for >= :from_30 THEN 1 ELSE 0 END) AS due_30,
       SUM(CASE WHEN w.scheduled_for >= :from_30 AND w.status = 'completed' THEN 1 ELSE 0 END) AS completed_30,
       COUNT(w.id) AS due_90,
       SUM(CASE WHEN w.status = 'completed' THEN 1 ELSE 0 END) AS completed_90,
       (SELECT l.performed_at FROM workout_logs l WHERE l.client_id = c.id
        ORDER BY l.performed_at DESC LIMIT 1) AS last_logged_at,
       (SELECT COUNT(*) FROM meal_entries e WHERE e.client_id = c.id AND e.status = 'pending') AS pending_reviews,
       (SELECT p.date FROM progress_entries p WHERE p.client_id = c.id AND p.weight_kg IS NOT NULL
        ORDER BY p.date DESC LIMIT 1) AS last_weigh_in,
       (SELECT COUNT(*) FROM workouts u WHERE u.client_id = c.id AND u.scheduled_for >= :today
          AND u.scheduled_for <= :ahead AND u.status = 'planned') AS upcoming
FROM users c
-- The version is read in the same snapshot as the figures: a change committed meanwhile raises it past them.
LEFT JOIN attention_versions v ON v.client_id = c.id
-- A workout is due once its day has passed, or sooner when it is already done; only the last 90 days are read,
-- however long the history (workouts_client: client_id, scheduled_for).
LEFT JOIN workouts w ON w.client_id = c.id AND w.scheduled_for >= :from_90 AND w.scheduled_for <= :today
 AND (w.scheduled_for < :today OR w.status = 'completed')
WHERE c.id IN (SELECT value FROM json_each(:ids)) AND c.role = 'client' AND {{ caller_sees_client }}
GROUP BY c.id, v.version
