-- An appointment as the API shows it (APPOINTMENT in elior/bookings/appointments.py): the columns of `a`, an
-- appointments row, `c` its client, `t` its trainer (LEFT JOIN: a trainer may be gone) and `s` its session type, and
-- `credit`, the credit it holds, spent or returned (null for a type without credits). One list for the
-- GET and the three pages.
a.id, a.trainer_id, t.full_name AS trainer_name, a.client_id, c.full_name AS client_name, a.type_id,
s.name AS type_name, a.starts_at, a.ends_at, a.status, a.late_cancel, a.notes, a.cancel_reason,
a.cancelled_at, a.cancelled_by, a.marked_at, a.marked_by, a.reminded_at, a.sequence, a.created_by,
a.created_at, a.updated_at,
(SELECT CASE WHEN sum(CASE WHEN l.kind = 'spend' THEN 1 ELSE 0 END) > 0 THEN 'spent'
             WHEN sum(CASE WHEN l.kind = 'release' THEN 1 ELSE 0 END) > 0 THEN 'returned'
             WHEN count(*) > 0 THEN 'held' END
 FROM credit_ledger l WHERE l.appointment_id = a.id) AS credit
