-- PostgreSQL only: pushes whose NOTIFY this process heard (so every listening process did); a JSON array of ids.
DELETE FROM notification_outbox
WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(:ids AS JSON)))
