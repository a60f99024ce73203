-- The exercises the client's workouts, sets and assigned programs name.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT e.* FROM exercises e WHERE e.id IN (
    SELECT we.exercise_id FROM workout_exercises we JOIN workouts w ON w.id = we.workout_id WHERE w.client_id = :client_id
    UNION SELECT s.exercise_id FROM set_logs s WHERE s.client_id = :client_id
    UNION SELECT pl.exercise_id FROM program_lines pl JOIN program_workouts pw ON pw.id = pl.template_id
          WHERE pw.program_id IN (SELECT program_id FROM program_assignments WHERE client_id = :client_id UNION SELECT program_id FROM workouts WHERE client_id = :client_id AND program_id IS NOT NULL))
  AND e.id > :after
ORDER BY e.id
LIMIT :limit
