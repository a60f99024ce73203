-- Moves a booked place, when the caller may see its client; the reminder is due again for the new time.
UPDATE appointments
SET starts_at = :starts_at, ends_at = :ends_at, reminded_at = NULL, sequence = sequence + 1, updated_at = :now
WHERE id = :id AND status = 'booked'
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = appointments.client_id AND {{ caller_sees_client }})
RETURNING id
