-- One client's workouts (searched through workouts_client), within the caller's scope.
SELECT COUNT(*)
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.client_id = :client_id
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
