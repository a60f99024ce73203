-- How many programs programs.page pages through.
SELECT COUNT(*)
FROM programs p
WHERE (p.owner_id = :caller_id OR :caller_role = 'admin')
  AND (CAST(:owner_id AS BIGINT) IS NULL OR p.owner_id = :owner_id)
  AND (CAST(:pattern AS TEXT) IS NULL OR lower(p.title) LIKE :pattern ESCAPE '!')
