-- A client asks for their account to be deleted (the route allows clients only, and only for themselves).
INSERT INTO deletion_requests (client_id, status, created_at)
VALUES (:client_id, 'pending', :now)
RETURNING id, client_id, status, created_at, decided_at
