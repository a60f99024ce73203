-- The notification kinds the caller muted.
SELECT kind FROM notification_mutes WHERE user_id = :caller_id ORDER BY kind
