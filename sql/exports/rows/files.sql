-- The client's files: uploaded by them, or about them (as elior.media.storage.filenames_of_user).
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT f.* FROM files f WHERE (f.client_id = :client_id OR f.owner_id = :client_id)
  AND f.id > :after
ORDER BY f.id
LIMIT :limit
