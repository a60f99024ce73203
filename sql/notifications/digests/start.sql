-- A user who chose `daily` for some kind gets a bookmark; the first digest covers what happens from now on.
INSERT INTO notification_digests (user_id, last_digest_at, previous_digest_at)
VALUES (:caller_id, :now, NULL)
ON CONFLICT (user_id) DO NOTHING
