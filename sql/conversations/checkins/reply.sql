-- The trainer's (or an admin's) reply to a check-in; replying again replaces it.
UPDATE check_ins SET reply = :reply, replied_by = :caller_id, replied_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = check_ins.client_id AND {{ caller_coaches_client }})
RETURNING id, client_id
