-- How many logins sessions.list pages through (the same filter).
SELECT COUNT(*) AS total
FROM logins l
WHERE l.user_id = :caller_id AND l.revoked_at IS NULL
  AND (NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.login_id = l.id)
       OR EXISTS (SELECT 1 FROM refresh_tokens t
                   WHERE t.login_id = l.id AND t.rotated_at IS NULL AND t.expires_at > :now))
