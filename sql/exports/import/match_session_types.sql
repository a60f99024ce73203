-- Import: a session type of this studio that is the exported one (same name, length, size and use of credits),
-- reused so that the client's appointments and credits join the studio's own types instead of adding copies.
SELECT id FROM session_types
WHERE name = :name AND duration_minutes = CAST(:duration_minutes AS BIGINT) AND capacity = CAST(:capacity AS BIGINT)
  AND uses_credit = (CAST(:uses_credit AS INTEGER) <> 0)
ORDER BY id LIMIT 1
