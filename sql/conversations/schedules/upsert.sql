-- Sets a client's one schedule (made or replaced), when the caller coaches the client.
INSERT INTO check_in_schedules (client_id, template_id, cadence, weekday, every_days, start_date, next_due,
                                due_period, created_by, created_at, updated_at)
SELECT c.id, :template_id, :cadence, :weekday, :every_days, :start_date, :next_due, :due_period, :caller_id, :now,
       :now
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_coaches_client }}
ON CONFLICT (client_id) DO UPDATE SET template_id = excluded.template_id, cadence = excluded.cadence,
    weekday = excluded.weekday, every_days = excluded.every_days, start_date = excluded.start_date,
    next_due = excluded.next_due, due_period = excluded.due_period, updated_at = excluded.updated_at
RETURNING client_id
