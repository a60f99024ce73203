-- The ZIPs of a client's exports on disk: read before deleting the client (the rows go with them by foreign key).
SELECT path FROM exports WHERE client_id = :client_id AND path IS NOT NULL
