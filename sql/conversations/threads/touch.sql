-- The thread's newest message, for the thread list's order ("newest activity first") and its preview.
UPDATE conversations SET last_message_id = :message_id, last_message_at = :now
WHERE client_id = :client_id
