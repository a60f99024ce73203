-- runs long
-- One keyset page of the CSV export: the entries after the last date already sent (dates are unique per client),
-- so each page costs the same however far into the history it is; the caller's rights are checked on every page.
-- Naming the client twice (p.client_id and c.id) lets the planner read that one user row first, by its key.
WITH page AS (
    SELECT p.id, p.client_id, p.date, p.weight_kg, p.body_fat_pct, p.chest_cm, p.waist_cm, p.hips_cm, p.arm_cm,
           p.thigh_cm, p.notes, p.created_by, p.created_at, p.updated_at
    FROM progress_entries p
    JOIN users c ON c.id = p.client_id
     AND {{ caller_sees_client }}
    WHERE p.client_id = :client_id AND c.id = :client_id AND p.date > :after
    ORDER BY p.date
    LIMIT :limit
)
SELECT page.*, ph.filename AS photo_file
FROM page
LEFT JOIN progress_photos ph ON ph.entry_id = page.id
ORDER BY page.date, ph.position
