-- Close a pending request: rejected, or done (the client's id is then cleared with their account).
UPDATE deletion_requests SET status = :status, decided_at = :now, decided_by = :by
WHERE id = :id AND status = 'pending'
RETURNING id
