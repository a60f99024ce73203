SELECT count(*)
FROM habits h
JOIN users c ON c.id = h.client_id
 AND {{ caller_sees_client }}
WHERE h.client_id = :client_id AND (:archived = 1 OR h.archived_at IS NULL)
