-- The credit an appointment holds, and how it was settled (NULL: still held). Internal: the appointment was
-- found through bookings.appointments.target or .coached_target in the same transaction.
SELECT h.client_id, h.package_id, h.type_id, p.expires_on,
       (SELECT s.kind FROM credit_ledger s
        WHERE s.appointment_id = h.appointment_id AND s.kind IN ('release', 'spend')) AS settled
FROM credit_ledger h
JOIN credit_packages p ON p.id = h.package_id
WHERE h.appointment_id = :appointment_id AND h.kind = 'hold'
