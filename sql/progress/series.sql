-- runs long
-- Everything the summary needs in one statement: the client's entries in date order, with their photos.
-- Naming the client twice (p.client_id and c.id) lets the planner read that one user row first, by its key.
SELECT p.id, p.client_id, p.date, p.weight_kg, p.body_fat_pct, p.chest_cm, p.waist_cm, p.hips_cm, p.arm_cm,
       p.thigh_cm, p.notes, p.created_by, p.created_at, p.updated_at,
       ph.filename AS photo_file
FROM progress_entries p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
LEFT JOIN progress_photos ph ON ph.entry_id = p.id
WHERE p.client_id = :client_id AND c.id = :client_id AND p.date >= :date_from AND p.date <= :date_to
ORDER BY p.date, ph.position
