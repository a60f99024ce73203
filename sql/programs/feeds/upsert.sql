-- The caller's iCal feed token, made or replaced (rotation: the old token stops working at once). Stored hashed.
INSERT INTO calendar_feeds (user_id, token_hash, created_at)
VALUES (:caller_id, :token_hash, :now)
ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
RETURNING created_at
