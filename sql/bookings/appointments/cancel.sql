-- Cancels a booked place, when the caller may see its client; `late` says whether it was inside the cut-off.
UPDATE appointments
SET status = 'cancelled', late_cancel = :late, cancel_reason = :reason, cancelled_at = :now, cancelled_by = :caller_id,
    sequence = sequence + 1, updated_at = :now
WHERE id = :id AND status = 'booked'
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = appointments.client_id AND {{ caller_sees_client }})
RETURNING id
