-- Which clients the caller may change the plans of (assign and edit workouts and meal plans, review entries): the
-- write side of caller_sees_client, spliced wherever a query says {{ caller_coaches_client }}. A boolean over `c`, a
-- users row; binds :caller_role and :caller_id. An admin coaches every client; a trainer, and only a trainer, the
-- clients whose trainer they are; a client nobody, not even themself. tests/accounts/test_visibility.py holds its
-- truth table.
(:caller_role = 'admin' OR (:caller_role = 'trainer' AND c.trainer_id = :caller_id))
