-- The invite's maker and trainer, held until the registration commits: a concurrent demotion or deactivation of
-- either (accounts.users.lock, FOR UPDATE) waits for it and then counts the new client, or goes first and then the
-- claim sees the new role and the voided invite.
SELECT id, role FROM users WHERE id = :maker_id OR id = :trainer_id ORDER BY id FOR SHARE
