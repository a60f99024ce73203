INSERT INTO password_reset_requests (email, address, created_at)
VALUES (:email, :address, :now)
