-- One client's appointments starting in [:starts_from, :starts_to), soonest first: the client's own list, or
-- staff's with ?client_id=. Names the client twice so the planner starts from appointments_client.
SELECT a.id, a.trainer_id, t.full_name AS trainer_name, a.client_id, c.full_name AS client_name, a.type_id,
       s.name AS type_name, a.starts_at, a.ends_at, a.status, a.late_cancel, a.notes, a.cancel_reason,
       a.cancelled_at, a.cancelled_by, a.marked_at, a.marked_by, a.reminded_at, a.sequence, a.created_by,
       a.created_at, a.updated_at,
       (SELECT CASE WHEN sum(CASE WHEN l.kind = 'spend' THEN 1 ELSE 0 END) > 0 THEN 'spent'
                    WHEN sum(CASE WHEN l.kind = 'release' THEN 1 ELSE 0 END) > 0 THEN 'returned'
                    WHEN count(*) > 0 THEN 'held' END
        FROM credit_ledger l WHERE l.appointment_id = a.id) AS credit
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
