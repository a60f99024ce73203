-- A new message in a thread the caller has just opened for writing (conversations.threads.open).
INSERT INTO messages (client_id, sender_id, body, created_at, edited_at, deleted_at)
VALUES (:client_id, :caller_id, :body, :now, NULL, NULL)
RETURNING id, client_id, sender_id, body, created_at, edited_at, deleted_at
