-- Import: an account with the archive's email exists already (a second import, or the same person): refused with 409.
SELECT id FROM users WHERE email = :email
