-- A client's check-in schedule and its template's questions, for whoever may see the client.
SELECT s.client_id, s.template_id, s.cadence, s.weekday, s.every_days, s.start_date, s.next_due, s.due_period,
       s.created_by, s.created_at, s.updated_at, t.title,
       q.id AS question_id, q.position, q.kind, q.prompt, q.unit
FROM check_in_schedules s
JOIN users c ON c.id = s.client_id
 AND {{ caller_sees_client }}
JOIN check_in_templates t ON t.id = s.template_id
LEFT JOIN check_in_questions q ON q.template_id = t.id
WHERE s.client_id = :client_id
ORDER BY q.position
