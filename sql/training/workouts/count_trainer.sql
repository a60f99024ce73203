-- A trainer's list without ?client_id=: the workouts of their clients (users_trainer, then workouts_client).
SELECT COUNT(*)
FROM users c
JOIN workouts w ON w.client_id = c.id
WHERE :caller_role = 'trainer' AND c.trainer_id = :caller_id
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
