-- One page of the entries of every client the caller may see (a trainer: their clients; an admin: all). CROSS JOIN
-- makes SQLite walk the visible clients first and reach each one's entries through the (client_id, date) index.
WITH page AS (
    SELECT p.id, p.client_id, p.date, p.weight_kg, p.body_fat_pct, p.chest_cm, p.waist_cm, p.hips_cm, p.arm_cm,
       p.thigh_cm, p.notes, p.created_by, p.created_at, p.updated_at
    FROM users c
    CROSS JOIN progress_entries p
    WHERE p.client_id = c.id
      AND {{ caller_sees_client }}
      AND p.date >= :date_from AND p.date <= :date_to
    ORDER BY p.date DESC, p.id DESC
    LIMIT :limit OFFSET :offset
)
SELECT page.*, ph.filename AS photo_file
FROM page
LEFT JOIN progress_photos ph ON ph.entry_id = page.id
ORDER BY page.date DESC, page.id DESC, ph.position
