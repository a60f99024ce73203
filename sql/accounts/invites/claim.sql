-- Claims an invite for a registration. Single use: only one registration can flip used_at, even when two race. And
-- only while its maker may still make it: :caller_id and :caller_role are the maker and their current role (read and
-- locked by accounts.invites.lock_people in the same transaction, and checked against the row here); the maker
-- must be active and coach the account the invite makes (sql/shared/caller_coaches_client.sql over `c`, the invite,
-- whose trainer_id the new account gets: an admin any, a trainer a client of their own). The trainer a client invite
-- names must still be an active trainer.
UPDATE invites AS c SET used_at = :now
WHERE c.code = :code AND c.used_at IS NULL AND c.voided_at IS NULL AND c.expires_at > :now
  AND c.created_by = :caller_id
  AND EXISTS (SELECT 1 FROM users m WHERE m.id = c.created_by AND m.role = :caller_role AND m.is_active = TRUE)
  AND {{ caller_coaches_client }}
  AND (c.trainer_id IS NULL
       OR EXISTS (SELECT 1 FROM users t WHERE t.id = c.trainer_id AND t.role = 'trainer' AND t.is_active = TRUE))
RETURNING role, trainer_id
