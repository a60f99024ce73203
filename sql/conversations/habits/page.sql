-- A client's habits, oldest first (the order they were given in); archived ones only when asked for.
SELECT h.id, h.client_id, h.created_by, h.title, h.cadence, h.times_per_week, h.target_value, h.target_unit,
       h.start_date, h.archived_at, h.created_at, h.updated_at
FROM habits h
JOIN users c ON c.id = h.client_id
 AND {{ caller_sees_client }}
WHERE h.client_id = :client_id AND (:archived = 1 OR h.archived_at IS NULL)
ORDER BY h.id
LIMIT :limit OFFSET :offset
