SELECT count(*)
FROM check_in_templates t
WHERE :caller_role = 'admin' OR t.owner_id = :caller_id
