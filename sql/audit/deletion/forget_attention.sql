-- The attention queue's version counter has no key on users, so it does not go with the account by itself.
DELETE FROM attention_versions WHERE client_id = :client_id
RETURNING client_id
