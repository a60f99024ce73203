-- The user an enrolment token names, while still active (a deactivated account's token enrols nothing).
SELECT id, email, role, is_active FROM users WHERE id = :user_id AND is_active
