-- The invites that named the client or that they used: a trainer's rows, but the client's email is in them.
DELETE FROM invites WHERE used_by = :client_id OR lower(email) = lower(:email)
RETURNING code
