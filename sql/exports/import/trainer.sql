-- Import: the account named by `--trainer EMAIL`, whom the imported client is given to (checked to be an active
-- trainer by the importer, which says which of the two it is not).
SELECT id, role, is_active FROM users WHERE email = :email
