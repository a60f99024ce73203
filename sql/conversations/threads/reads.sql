-- How far each current participant has read the thread (the client, and their trainer while a trainer): what the
-- read ticks show. A former trainer's read state stays stored but is not theirs to show any more.
SELECT r.user_id, r.last_read_id, r.read_at
FROM users c
JOIN conversation_reads r ON r.client_id = c.id
LEFT JOIN users t ON t.id = c.trainer_id AND t.role = 'trainer'
WHERE c.id = :client_id AND {{ caller_sees_client }}
  AND (r.user_id = c.id OR r.user_id = t.id)
ORDER BY r.user_id
