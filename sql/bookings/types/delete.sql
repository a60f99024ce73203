-- Deletes a session type nothing was ever booked or sold with; one in use is retired instead (is_active).
DELETE FROM session_types
WHERE id = :id
  AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.type_id = session_types.id)
  AND NOT EXISTS (SELECT 1 FROM credit_packages p WHERE p.type_id = session_types.id)
RETURNING id
