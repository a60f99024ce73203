-- Single use: only one setup can flip used_at, in the transaction that creates the admin.
UPDATE setup_tokens SET used_at = :now
WHERE token_hash = :token_hash AND used_at IS NULL AND expires_at > :now
RETURNING token_hash
