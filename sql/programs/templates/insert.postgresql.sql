-- A program's workout templates from one JSON array, in one statement, only into a program the caller owns (an
-- admin: any). Returns each new id with its slot, which the lines' insert then names.
INSERT INTO program_workouts (program_id, week, day, position, title, notes)
SELECT p.id, r.week, r.day, r.position, r.title, r.notes
FROM programs p,
     jsonb_to_recordset(CAST(:rows AS JSONB)) AS r(week INTEGER, day INTEGER, position INTEGER, title TEXT, notes TEXT)
WHERE p.id = :program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY r.week, r.day, r.position
RETURNING id, week, day, position
