-- A workout's comments, oldest first (a conversation reads down), with each author's name.
SELECT k.id, k.workout_id, k.client_id, k.author_id, a.full_name AS author_name, k.body, k.created_at
FROM workout_comments k
JOIN users c ON c.id = k.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users a ON a.id = k.author_id
WHERE k.workout_id = :workout_id
ORDER BY k.id
LIMIT :limit OFFSET :offset
