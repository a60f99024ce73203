DELETE FROM notification_mutes WHERE user_id = :caller_id
