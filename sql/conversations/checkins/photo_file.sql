-- A photo answer must be the client's own upload about themself.
SELECT f.filename
FROM files f
WHERE f.filename = :filename AND f.owner_id = :client_id AND f.client_id = :client_id
