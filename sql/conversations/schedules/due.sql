-- Schedules whose next period has begun and not been announced yet, oldest first: the reminders' work list. A job
-- of the server's own, about no caller.
SELECT s.client_id, s.template_id, s.cadence, s.weekday, s.every_days, s.start_date, s.next_due, t.title
FROM check_in_schedules s
JOIN check_in_templates t ON t.id = s.template_id
WHERE s.next_due <= :today
ORDER BY s.next_due
LIMIT :limit
