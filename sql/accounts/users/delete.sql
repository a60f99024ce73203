-- runs long
-- Admins only (the route says so); everything of the user goes with the row through ON DELETE CASCADE.
DELETE FROM users WHERE id = :id AND :caller_role = 'admin'
RETURNING id
