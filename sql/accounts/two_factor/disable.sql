-- Turning two-factor off forgets the secret and, with it, the recovery codes (recovery_codes_clear.sql).
DELETE FROM two_factor WHERE user_id = :user_id
RETURNING user_id
