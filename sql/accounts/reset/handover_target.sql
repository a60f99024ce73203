-- Whom the caller may make a hand-over link for: an admin anyone, a trainer only the clients they coach (the shared
-- rule), never a trainer or admin (a client promoted to trainer may keep an old trainer_id). Anyone else is not
-- found here; the endpoint then tells one the caller may see (403) from one they may not (404).
SELECT c.id, c.is_active
FROM users c
WHERE c.id = :id
  AND {{ caller_coaches_client }}
  AND (c.role = 'client' OR :caller_role = 'admin')
