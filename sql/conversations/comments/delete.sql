-- The caller's own comment, while they still take part and within the window (created after :window_start).
DELETE FROM workout_comments
WHERE id = :id AND workout_id = :workout_id AND author_id = :caller_id AND created_at > :window_start
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = workout_comments.client_id
              AND {{ caller_sees_client }} AND :caller_role <> 'admin')
RETURNING id
