-- Its photo rows go with it (ON DELETE CASCADE); the files themselves stay until deleted through the files API.
DELETE FROM progress_entries
WHERE id = :id
  AND client_id IN (SELECT c.id FROM users c
                    WHERE :caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
RETURNING id
