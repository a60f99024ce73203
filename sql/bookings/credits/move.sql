-- One movement of the ledger. Internal: written only by elior.bookings.ledger, inside the transaction of the
-- booking, cancel, attendance or package it belongs to, after that statement checked the caller.
INSERT INTO credit_ledger (client_id, package_id, type_id, appointment_id, kind, delta, created_by, created_at)
VALUES (:client_id, :package_id, :type_id, :appointment_id, :kind, :delta, :created_by, :now)
RETURNING id
