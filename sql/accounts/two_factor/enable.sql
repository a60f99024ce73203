-- Confirming the enrolment: two-factor is on from this commit.
UPDATE two_factor SET enabled_at = :now
WHERE user_id = :user_id AND enabled_at IS NULL
RETURNING user_id
