-- Which clients the caller may see: the one rule of sql/README.md, spliced wherever a query says
-- {{ caller_sees_client }}. A boolean over `c`, a users row (the client a row is about); binds :caller_role and
-- :caller_id (Call.scope). An admin sees every client; anyone sees themself; a trainer, and only a trainer, sees the
-- clients whose trainer they are (a demoted trainer's former clients keep trainer_id until an admin moves them, and
-- must not become visible to the client that trainer now is). tests/accounts/test_visibility.py holds its truth table.
(:caller_role = 'admin' OR c.id = :caller_id OR (:caller_role = 'trainer' AND c.trainer_id = :caller_id))
