-- Every template of a program the caller owns (their lines go with them), before the edited list is written.
DELETE FROM program_workouts
WHERE program_id = :program_id
  AND EXISTS (SELECT 1 FROM programs p WHERE p.id = program_workouts.program_id
              AND (p.owner_id = :caller_id OR :caller_role = 'admin'))
