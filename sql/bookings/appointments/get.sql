-- One appointment, as the API shows it, when the caller may see its client.
SELECT {{ appointment_columns }}
FROM appointments a
JOIN users c ON c.id = a.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users t ON t.id = a.trainer_id
JOIN session_types s ON s.id = a.type_id
WHERE a.id = :id
