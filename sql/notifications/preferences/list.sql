-- The caller's own preferences (kinds without a row are `never`).
SELECT kind, delivery FROM notification_preferences WHERE user_id = :caller_id
