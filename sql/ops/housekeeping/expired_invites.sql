-- runs long
-- Invites never used and past their expiry; used ones are the record of who joined by whose invite.
DELETE FROM invites WHERE used_at IS NULL AND expires_at < :now
RETURNING code
