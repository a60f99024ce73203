-- The client's answers for one period of their schedule: once per period (a second inserts nothing: 409).
INSERT INTO check_ins (client_id, template_id, period_start, submitted_at, reply, replied_by, replied_at)
SELECT s.client_id, s.template_id, :period_start, :now, NULL, NULL, NULL
FROM check_in_schedules s
JOIN users c ON c.id = s.client_id
 AND {{ caller_sees_client }}
WHERE s.client_id = :client_id
ON CONFLICT (client_id, period_start) DO NOTHING
RETURNING id
