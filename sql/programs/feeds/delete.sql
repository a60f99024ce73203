-- Revoke the caller's feed token: the feed URL answers 404 from now on.
DELETE FROM calendar_feeds WHERE user_id = :caller_id
