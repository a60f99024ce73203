-- The appointment whose attendance the caller marks, when the caller coaches its client (the trainer, an admin).
SELECT a.id, a.client_id, a.trainer_id, a.type_id, a.starts_at, a.ends_at, a.status, s.duration_minutes,
       s.buffer_minutes, s.capacity
FROM appointments a
JOIN session_types s ON s.id = a.type_id
WHERE a.id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = a.client_id AND {{ caller_coaches_client }})
