-- One habit, for whoever may see its client.
SELECT h.id, h.client_id, h.created_by, h.title, h.cadence, h.times_per_week, h.target_value, h.target_unit,
       h.start_date, h.archived_at, h.created_at, h.updated_at
FROM habits h
JOIN users c ON c.id = h.client_id
 AND {{ caller_sees_client }}
WHERE h.id = :id
