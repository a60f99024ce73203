-- A new program, the caller's own. The route lets only trainers and admins reach this.
INSERT INTO programs (owner_id, title, description, weeks, created_at, updated_at)
VALUES (:caller_id, :title, :description, :weeks, :now, :now)
RETURNING id
