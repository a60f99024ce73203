-- A user's role changed or they were deactivated: the open invites they made, and those that would make clients of
-- theirs, can no longer be claimed (accounts.invites.claim checks the maker again, whatever wrote the user).
UPDATE invites SET voided_at = :now
WHERE (created_by = :user_id OR trainer_id = :user_id) AND used_at IS NULL AND voided_at IS NULL
