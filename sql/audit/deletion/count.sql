SELECT count(*)
FROM deletion_requests r
WHERE :caller_role = 'admin' AND (CAST(:status AS TEXT) IS NULL OR r.status = CAST(:status AS TEXT))
