-- The FROM and WHERE of a trainer's workout list without ?client_id=: the workouts of the clients of trainer_id
-- (the caller), searched through users_trainer then workouts_client; the visibility rule still applies, as to every
-- list. The rows of sql/training/workouts/page_trainer.sql, and what count_trainer.sql counts.
FROM users c
JOIN workouts w ON w.client_id = c.id
WHERE c.trainer_id = :trainer_id AND {{ caller_sees_client }}
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
