-- Packages past their date with credits left: the expiry sweep's work list. A job of the server's own, about no
-- caller. Reads the expired packages only (credit_packages_expiry).
SELECT p.id, p.client_id, p.type_id
FROM credit_packages p
WHERE p.expires_on < :today
  AND (SELECT sum(l.delta) FROM credit_ledger l WHERE l.package_id = p.id) > 0
ORDER BY p.expires_on, p.id
LIMIT :limit
