-- The caller's live logins, most recently used first. A login is live while not revoked and while a refresh token
-- of it can still be used (or it never had one: a login made by a script or a test). Its last use is its newest
-- refresh token, written at sign-in and at every refresh (the SPA refreshes every ACCESS_TOKEN_EXPIRE_MINUTES).
SELECT l.id, l.created_at, l.user_agent, l.address,
       COALESCE((SELECT MAX(t.created_at) FROM refresh_tokens t WHERE t.login_id = l.id), l.created_at)
           AS last_used_at
FROM logins l
WHERE l.user_id = :caller_id AND l.revoked_at IS NULL
  AND (NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.login_id = l.id)
       OR EXISTS (SELECT 1 FROM refresh_tokens t
                   WHERE t.login_id = l.id AND t.rotated_at IS NULL AND t.expires_at > :now))
ORDER BY last_used_at DESC, l.id DESC
LIMIT :limit OFFSET :offset
