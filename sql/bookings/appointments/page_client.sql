-- One client's appointments starting in [:starts_from, :starts_to), soonest first: the client's own list, or
-- staff's with ?client_id=. Names the client twice so the planner starts from appointments_client.
SELECT {{ appointment_columns }}
FROM appointments a
JOIN users c ON c.id = a.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users t ON t.id = a.trainer_id
JOIN session_types s ON s.id = a.type_id
WHERE a.client_id = :client_id AND c.id = :client_id
  AND a.starts_at >= :starts_from AND a.starts_at < :starts_to
  AND (:status = '' OR a.status = :status)
ORDER BY a.starts_at, a.id
LIMIT :limit OFFSET :offset
