INSERT INTO login_failures (email, address, created_at)
VALUES (:email, :address, :now)
