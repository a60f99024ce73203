-- Bytes counted against an account's quota: the files about that client, or uploaded by them about no client.
SELECT COALESCE(SUM(size), 0)
FROM files
WHERE client_id = :user_id OR (client_id IS NULL AND owner_id = :user_id)
