-- Attendance, marked (or corrected) by whoever coaches the client; a cancelled place has none.
UPDATE appointments
SET status = :status, marked_at = :now, marked_by = :caller_id, updated_at = :now
WHERE id = :id AND status IN ('booked', 'attended', 'no_show')
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = appointments.client_id AND {{ caller_coaches_client }})
RETURNING id
