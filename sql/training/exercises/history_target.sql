-- The exercise (404 when missing) and the client, NULL unless the caller may see that client (sql/README.md).
SELECT e.id, e.name,
       (SELECT c.id FROM users c
        WHERE c.id = :client_id AND c.role = 'client'
          AND {{ caller_sees_client }}) AS client_id
FROM exercises e
WHERE e.id = :exercise_id
