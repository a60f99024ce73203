-- Every stored file that belongs to a user: uploaded by them, or about them as a client.
SELECT filename FROM files WHERE owner_id = :user_id OR client_id = :user_id
