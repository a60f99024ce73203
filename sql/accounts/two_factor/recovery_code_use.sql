-- A recovery code works once: the conditional UPDATE marks it used, and a second use (or a race) takes no row.
UPDATE two_factor_recovery_codes SET used_at = :now
WHERE user_id = :user_id AND code_hash = :code_hash AND used_at IS NULL
  AND EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = :user_id AND t.enabled_at IS NOT NULL)
RETURNING id
