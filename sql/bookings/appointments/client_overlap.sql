-- Whether the client already has a place in [:starts_at, :ends_at) (the booking's client, checked by
-- bookings.appointments.parties), leaving out :exclude_id.
SELECT a.id
FROM appointments a
WHERE a.client_id = :client_id AND a.status <> 'cancelled' AND a.id <> :exclude_id
  AND a.starts_at < :ends_at AND a.starts_at >= :starts_from AND a.ends_at > :starts_at
LIMIT 1
