-- Requests that left the window count for nothing: drop them for this email and address (both indexed).
DELETE FROM password_reset_requests
WHERE (email = :email OR address = :address) AND created_at <= :before
