-- One page of a client's entries, newest first, with their photos, and two things that save the list two
-- statements (elior.progress.entries.list_entries). `total` counts the entries the filters match, before LIMIT, once
-- (as in sql/training/workouts/page_client.sql), so no COUNT statement runs when the page has rows; and
-- `c.role = 'client'` is the one condition of progress.visible_client that the join on the visibility rule does not
-- already make, so a page with rows proves the client visible and that statement runs only when the page is empty.
-- Naming the client twice (p.client_id and c.id) lets the planner read that one user row first, by its key.
WITH matching AS NOT MATERIALIZED (
    SELECT p.id, p.client_id, p.date, p.weight_kg, p.body_fat_pct, p.chest_cm, p.waist_cm, p.hips_cm, p.arm_cm,
           p.thigh_cm, p.notes, p.created_by, p.created_at, p.updated_at
    FROM progress_entries p
    JOIN users c ON c.id = p.client_id
     AND c.role = 'client'
     AND {{ caller_sees_client }}
    WHERE p.client_id = :client_id AND c.id = :client_id AND p.date >= :date_from AND p.date <= :date_to
), page AS (
    SELECT m.*, (SELECT COUNT(*) FROM matching) AS total
    FROM matching m
    ORDER BY m.date DESC
    LIMIT :limit OFFSET :offset
)
SELECT page.*, ph.filename AS photo_file
FROM page
LEFT JOIN progress_photos ph ON ph.entry_id = page.id
ORDER BY page.date DESC, ph.position
