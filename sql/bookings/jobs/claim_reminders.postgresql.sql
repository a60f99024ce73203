-- PostgreSQL: as the SQLite file, and rows another process is claiming right now are skipped rather than waited
-- for (SKIP LOCKED); the outer `reminded_at IS NULL` is still re-checked on the row as committed.
UPDATE appointments
SET reminded_at = :now
WHERE id IN (SELECT a.id
             FROM appointments a
             WHERE a.status = 'booked' AND a.reminded_at IS NULL AND a.starts_at > :now AND a.starts_at <= :until
             ORDER BY a.starts_at
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
  AND reminded_at IS NULL
RETURNING id
