-- runs long
-- The client's account; every row of theirs goes with it through ON DELETE CASCADE (their access-log rows too), and
-- the ids other people's rows keep of them (an author, a reviewer) are cleared by ON DELETE SET NULL.
DELETE FROM users WHERE id = :client_id AND role = 'client'
RETURNING id
