-- The program library: a trainer's own programs; an admin's all, or one owner's with ?owner_id=. By title.
SELECT p.id, p.owner_id, o.full_name AS owner_name, p.title, p.description, p.weeks, p.created_at, p.updated_at,
       (SELECT COUNT(*) FROM program_workouts pw WHERE pw.program_id = p.id) AS workout_count,
       (SELECT COUNT(*) FROM program_assignments a WHERE a.program_id = p.id AND a.ended_at IS NULL) AS active_clients
FROM programs p
JOIN users o ON o.id = p.owner_id
WHERE (p.owner_id = :caller_id OR :caller_role = 'admin')
  AND (CAST(:owner_id AS BIGINT) IS NULL OR p.owner_id = :owner_id)
  AND (CAST(:pattern AS TEXT) IS NULL OR lower(p.title) LIKE :pattern ESCAPE '!')
ORDER BY lower(p.title), p.id
LIMIT :limit OFFSET :offset
