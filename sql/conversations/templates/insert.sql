-- A check-in template of the caller's (a trainer's, or an admin's).
INSERT INTO check_in_templates (owner_id, title, created_at, updated_at)
VALUES (:caller_id, :title, :now, :now)
RETURNING id
