-- Single use: only one registration can flip used_at, even when two race for the same code.
UPDATE invites SET used_at = :now
WHERE code = :code AND used_at IS NULL AND expires_at > :now
RETURNING role, trainer_id
