-- Failures that left the window count for nothing: drop them for this account and address (both indexed).
DELETE FROM login_failures
WHERE (email = :email OR address = :address) AND created_at <= :before
