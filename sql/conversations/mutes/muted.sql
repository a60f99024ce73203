-- Whether a user muted the kind of a notification (the part of its event type before the dot): what
-- elior/notifications asks before storing one.
SELECT 1 FROM notification_mutes WHERE user_id = :user_id AND kind = :kind
