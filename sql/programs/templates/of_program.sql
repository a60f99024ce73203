-- The workout templates of a program the caller owns (an admin: any), in week, day and position order.
SELECT pw.id, pw.week, pw.day, pw.position, pw.title, pw.notes
FROM programs p
JOIN program_workouts pw ON pw.program_id = p.id
WHERE p.id = :program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY pw.week, pw.day, pw.position
