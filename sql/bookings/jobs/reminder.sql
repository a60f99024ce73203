-- What a claimed reminder says, and to whom. A job of the server's own: the id comes from claim_reminders.
SELECT a.id, a.client_id, a.trainer_id, a.type_id, a.starts_at, a.ends_at, a.sequence, c.email AS client_email,
       c.full_name AS client_name, c.is_active AS client_active,
       coalesce(t.full_name, 'your trainer') AS trainer_name, s.name AS type_name
FROM appointments a
JOIN users c ON c.id = a.client_id
LEFT JOIN users t ON t.id = a.trainer_id
JOIN session_types s ON s.id = a.type_id
WHERE a.id = :id
