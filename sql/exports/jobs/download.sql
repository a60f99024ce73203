-- The finished ZIP of an export, for a download whose signature (elior/exports/signing.py) names this id: the link
-- is the permission, as a file link is, so no caller is asked for here. Not found once expired.
SELECT id, client_id, path, size_bytes, expires_at
FROM exports
WHERE id = :id AND status = 'done' AND path IS NOT NULL AND expires_at > :now
