-- Claim one user whose last digest is a day old: move the bookmark to now, keeping where it was. Run in the
-- transaction that queues the digest mail, so the claim and the mail commit together. The outer condition is checked
-- again on the locked row (PostgreSQL re-reads it after waiting on another process's claim; SQLite has one writer),
-- so two processes never both claim, and so mail, the same digest.
UPDATE notification_digests
SET previous_digest_at = last_digest_at, last_digest_at = :now
WHERE user_id = (
    SELECT user_id FROM notification_digests WHERE last_digest_at <= :due_before ORDER BY last_digest_at LIMIT 1
) AND last_digest_at <= :due_before
RETURNING user_id, previous_digest_at
