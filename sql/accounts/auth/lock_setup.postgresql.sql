-- Two first-start requests at once must not both create an admin: serialise them for this transaction.
SELECT pg_advisory_xact_lock(727101)
