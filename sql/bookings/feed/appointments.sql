-- The appointments of a calendar feed's owner (elior.bookings.feed): what that user may see now, by the rule,
-- starting in [:starts_from, :starts_to), cancelled ones included so that a subscribed calendar removes them.
SELECT a.id, a.client_id, c.full_name AS client_name, a.trainer_id, t.full_name AS trainer_name,
       s.name AS type_name, a.starts_at, a.ends_at, a.status, a.late_cancel, a.notes, a.sequence, a.updated_at
FROM appointments a
JOIN users c ON c.id = a.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users t ON t.id = a.trainer_id
JOIN session_types s ON s.id = a.type_id
WHERE a.starts_at >= :starts_from AND a.starts_at < :starts_to
ORDER BY a.starts_at, a.id
LIMIT :limit
