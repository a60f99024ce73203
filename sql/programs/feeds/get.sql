-- Whether the caller has a feed token, and since when (the token itself is never stored, so never shown again).
SELECT created_at FROM calendar_feeds WHERE user_id = :caller_id
