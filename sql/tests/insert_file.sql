-- Used by the test suite (tests/test_users.py): a stored file row, to check that deleting a user removes its bytes.
INSERT INTO files (filename, owner_id, client_id, purpose, content_type, size, sha256, created_at)
VALUES (:filename, :owner_id, :client_id, 'document', 'application/pdf', :size, 'test', :now)
