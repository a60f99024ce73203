SELECT email, full_name FROM users WHERE id = :user_id AND is_active
