-- The assignment's workouts, one per template of its program: day d of week w falls (w - 1) * 7 + d - 1 days
-- after the start date. Each remembers its program, assignment, week, day and the template it was made from.
INSERT INTO workouts (client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at, program_id,
                      assignment_id, week, day, template_id)
SELECT a.client_id, c.trainer_id, pw.title, pw.notes, a.start_date + ((pw.week - 1) * 7 + pw.day - 1), 'planned',
       :now, :now, a.program_id, a.id, pw.week, pw.day, pw.id
FROM program_assignments a
JOIN users c ON c.id = a.client_id AND {{ caller_coaches_client }}
JOIN program_workouts pw ON pw.program_id = a.program_id
WHERE a.id = :assignment_id
ORDER BY pw.week, pw.day, pw.position
RETURNING id
