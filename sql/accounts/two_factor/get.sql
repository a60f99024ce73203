-- The caller's own two-factor row (none: never enrolled). Keyed by the signed-in user's id, never a request's.
SELECT user_id, secret, created_at, enabled_at, last_step
FROM two_factor
WHERE user_id = :user_id
