-- What is left of one package. Internal: the expiry sweep, inside its transaction, after locking the client.
SELECT coalesce(sum(l.delta), 0)
FROM credit_ledger l
WHERE l.package_id = :package_id
