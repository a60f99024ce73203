SELECT count(*)
FROM appointments a
JOIN users c ON c.id = a.client_id
 AND {{ caller_sees_client }}
WHERE a.starts_at >= :starts_from AND a.starts_at < :starts_to
  AND (:status = '' OR a.status = :status)
