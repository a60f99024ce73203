-- One client's workouts (searched through workouts_client), within the caller's scope.
SELECT COUNT(*)
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
WHERE w.client_id = :client_id
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
