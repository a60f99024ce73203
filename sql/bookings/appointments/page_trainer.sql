-- One trainer's sessions starting in [:starts_from, :starts_to), of the clients the caller may see: a trainer's
-- day and week, or an admin's ?trainer_id=. Starts from appointments_trainer.
SELECT {{ appointment_columns }}
FROM appointments a
JOIN users c ON c.id = a.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users t ON t.id = a.trainer_id
JOIN session_types s ON s.id = a.type_id
WHERE a.trainer_id = :trainer_id
  AND a.starts_at >= :starts_from AND a.starts_at < :starts_to
  AND (:status = '' OR a.status = :status)
ORDER BY a.starts_at, a.id
LIMIT :limit OFFSET :offset
