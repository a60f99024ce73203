INSERT INTO two_factor_recovery_codes (user_id, code_hash, created_at, used_at)
VALUES (:user_id, :code_hash, :now, NULL)
