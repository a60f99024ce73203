-- Claims the reminders due: booked places starting within the reminder window, not reminded yet. The outer
-- `reminded_at IS NULL` is what makes a claim exclusive: of two processes whose UPDATEs meet the same row, the
-- second finds it already claimed. A job of the server's own, about no caller.
UPDATE appointments
SET reminded_at = :now
WHERE id IN (SELECT a.id
             FROM appointments a
             WHERE a.status = 'booked' AND a.reminded_at IS NULL AND a.starts_at > :now AND a.starts_at <= :until
             ORDER BY a.starts_at
             LIMIT :limit)
  AND reminded_at IS NULL
RETURNING id
