-- The package a booking draws its credit from: the client's, of the session type, valid on the session's local
-- day, with a credit left; the one that expires first (never-expiring ones last). Internal: inside the booking's
-- transaction, after bookings.appointments.parties checked the caller and the client's row was locked.
SELECT p.id, p.expires_on
FROM credit_packages p
WHERE p.client_id = :client_id AND p.type_id = :type_id AND (p.expires_on IS NULL OR p.expires_on >= :day)
  AND (SELECT sum(l.delta) FROM credit_ledger l WHERE l.package_id = p.id) > 0
ORDER BY (p.expires_on IS NULL), p.expires_on, p.id
LIMIT 1
