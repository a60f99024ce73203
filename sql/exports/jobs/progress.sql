-- The running job's progress, and its lease renewed: only the claim's holder may (no row: it lost the claim).
UPDATE exports
SET progress = :progress, lease_until = :lease_until
WHERE id = :id AND claim = :claim AND status = 'running'
RETURNING id
