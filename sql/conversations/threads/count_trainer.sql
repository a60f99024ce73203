-- How many threads list_trainer pages through: one per client of the trainer.
SELECT count(*)
FROM users c
WHERE c.trainer_id = :trainer_id AND c.role = 'client'
  AND {{ caller_sees_client }}
