-- A new text for the caller's own message, while the edit window is open (created after :window_start) and it is
-- not deleted.
UPDATE messages SET body = :body, edited_at = :now
WHERE id = :id AND client_id = :client_id AND sender_id = :caller_id
  AND created_at > :window_start AND deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = messages.client_id
              AND {{ caller_sees_client }} AND :caller_role <> 'admin')
RETURNING id
