DELETE FROM two_factor_recovery_codes WHERE user_id = :user_id
