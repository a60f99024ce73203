-- Import: `conversations.last_message_id` names a `messages` row, which is loaded after it: set once that row exists.
UPDATE conversations SET last_message_id = :last_message_id WHERE client_id = :client_id
