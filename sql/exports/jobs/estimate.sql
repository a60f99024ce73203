-- Roughly how much an export of this client writes: the rows of its larger tables, and its files (count, bytes).
-- Only for the progress figure, so an approximation: the small tables are not counted.
SELECT (SELECT COUNT(*) FROM workouts WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM workout_exercises we JOIN workouts w ON w.id = we.workout_id WHERE w.client_id = :client_id)
     + (SELECT COUNT(*) FROM workout_logs WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM set_logs WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM meal_entries WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM progress_entries WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM messages WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM notifications WHERE user_id = :client_id)
     + (SELECT COUNT(*) FROM appointments WHERE client_id = :client_id)
     + (SELECT COUNT(*) FROM credit_ledger WHERE client_id = :client_id) AS row_count,
       (SELECT COUNT(*) FROM files WHERE client_id = :client_id OR owner_id = :client_id) AS file_count,
       (SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files
        WHERE client_id = :client_id OR owner_id = :client_id) AS file_bytes
