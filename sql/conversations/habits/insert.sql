-- A habit for a client, given by whoever coaches the client (their trainer, an admin).
INSERT INTO habits (client_id, created_by, title, cadence, times_per_week, target_value, target_unit, start_date,
                    archived_at, created_at, updated_at)
SELECT c.id, :caller_id, :title, :cadence, :times_per_week, :target_value, :target_unit, :start_date, NULL, :now,
       :now
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_coaches_client }}
RETURNING id
