-- A password just set by a link: every other unspent link of the account dies with the old password.
UPDATE password_resets SET used_at = :now
WHERE user_id = :user_id AND used_at IS NULL
