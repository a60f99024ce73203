-- One stored notification; the hub pushes the returned row as `notification.created`.
INSERT INTO notifications (user_id, type, data, created_at, read_at)
VALUES (:user_id, :type, :data, :now, NULL)
RETURNING id, user_id, type, data, created_at, read_at
