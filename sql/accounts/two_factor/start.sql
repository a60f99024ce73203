-- A new enrolment replaces one that was never confirmed; an enabled one stays (the endpoint answers 409 first, and
-- this WHERE keeps a race from replacing a live secret).
INSERT INTO two_factor (user_id, secret, created_at, enabled_at, last_step)
VALUES (:user_id, :secret, :now, NULL, NULL)
ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = NULL
WHERE two_factor.enabled_at IS NULL
RETURNING user_id
