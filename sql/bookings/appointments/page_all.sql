-- Every appointment starting in [:starts_from, :starts_to) whose client the caller may see: an admin's studio
-- week. Starts from appointments_start.
SELECT {{ appointment_columns }}
FROM appointments a
JOIN users c ON c.id = a.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users t ON t.id = a.trainer_id
JOIN session_types s ON s.id = a.type_id
WHERE a.starts_at >= :starts_from AND a.starts_at < :starts_to
  AND (:status = '' OR a.status = :status)
ORDER BY a.starts_at, a.id
LIMIT :limit OFFSET :offset
