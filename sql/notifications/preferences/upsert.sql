INSERT INTO notification_preferences (user_id, kind, delivery, updated_at)
VALUES (:caller_id, :kind, :delivery, :now)
ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery, updated_at = excluded.updated_at
