-- A copy of the source program's templates into the new program, both the caller's (an admin: any).
INSERT INTO program_workouts (program_id, week, day, position, title, notes)
SELECT t.id, pw.week, pw.day, pw.position, pw.title, pw.notes
FROM programs p
JOIN program_workouts pw ON pw.program_id = p.id
JOIN programs t ON t.id = :target_id AND (t.owner_id = :caller_id OR :caller_role = 'admin')
WHERE p.id = :source_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY pw.week, pw.day, pw.position
