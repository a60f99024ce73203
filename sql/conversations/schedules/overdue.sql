-- A trainer's clients whose announced check-in is still unanswered after :overdue_before (the attention queue's
-- "overdue check-in"). Names the trainer (:trainer_id, the caller) so SQLite searches users_trainer.
SELECT c.id AS client_id, c.full_name AS client_name, s.due_period, t.title
FROM users c
JOIN check_in_schedules s ON s.client_id = c.id
JOIN check_in_templates t ON t.id = s.template_id
WHERE c.trainer_id = :trainer_id AND {{ caller_sees_client }}
  AND s.due_period IS NOT NULL AND s.due_period <= :overdue_before
  AND NOT EXISTS (SELECT 1 FROM check_ins k WHERE k.client_id = s.client_id AND k.period_start = s.due_period)
ORDER BY s.due_period, c.id
