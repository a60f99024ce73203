-- A trainer's sessions that start in [:starts_from, :starts_to), one row per session (a group's places counted),
-- leaving out :exclude_id (the appointment being moved). Internal: the caller was checked by
-- bookings.trainers.visible or bookings.appointments.parties.
SELECT a.starts_at, a.ends_at, a.type_id, max(a.buffer_minutes) AS buffer_minutes, count(*) AS booked
FROM appointments a
WHERE a.trainer_id = :trainer_id AND a.status <> 'cancelled' AND a.id <> :exclude_id
  AND a.starts_at >= :starts_from AND a.starts_at < :starts_to
GROUP BY a.starts_at, a.ends_at, a.type_id
ORDER BY a.starts_at
