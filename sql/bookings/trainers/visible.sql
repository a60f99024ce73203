-- A trainer whose hours and free slots the caller may read: an admin, the trainer themself, or one of the
-- trainer's clients (who book with them). Every route about a trainer's calendar asks this first.
SELECT t.id, t.full_name
FROM users t
WHERE t.id = :trainer_id AND t.role = 'trainer' AND t.is_active = TRUE
  AND (:caller_role = 'admin' OR t.id = :caller_id
       OR EXISTS (SELECT 1 FROM users c WHERE c.id = :caller_id AND c.trainer_id = t.id))
