-- A program's workout templates from one JSON array, in one statement, only into a program the caller owns (an
-- admin: any). Returns each new id with its slot, which the lines' insert then names.
INSERT INTO program_workouts (program_id, week, day, position, title, notes)
SELECT p.id, json_extract(r.value, '$.week'), json_extract(r.value, '$.day'), json_extract(r.value, '$.position'),
       json_extract(r.value, '$.title'), json_extract(r.value, '$.notes')
FROM programs p, json_each(:rows) r
WHERE p.id = :program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY r.key
RETURNING id, week, day, position
