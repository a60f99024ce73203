-- Used by the test suite to check what the database layer wrote.
SELECT COUNT(*) FROM logins WHERE user_id = :user_id
