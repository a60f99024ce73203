-- Finished exports past their expiry (housekeeping): their files are removed first, then these rows.
SELECT id, path FROM exports
WHERE expires_at <= :now AND status IN ('done', 'failed')
ORDER BY id
LIMIT :limit
