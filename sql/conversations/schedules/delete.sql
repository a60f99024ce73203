-- Ends a client's schedule (their answered check-ins stay), when the caller coaches the client.
DELETE FROM check_in_schedules
WHERE client_id = :client_id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = check_in_schedules.client_id AND {{ caller_coaches_client }})
RETURNING client_id
