-- Its photo rows go with it (ON DELETE CASCADE); the files themselves stay until deleted through the files API.
DELETE FROM progress_entries
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = progress_entries.client_id AND {{ caller_sees_client }})
RETURNING client_id
