INSERT INTO notification_mutes (user_id, kind, created_at) VALUES (:caller_id, :kind, :now)
