-- An email rewritten to its normalised spelling at start (the address is the same one, so updated_at stays).
UPDATE users SET email = :email WHERE id = :id
