-- One entry with its photos, one row per photo (or one row of NULL photo).
SELECT p.id, p.client_id, p.date, p.weight_kg, p.body_fat_pct, p.chest_cm, p.waist_cm, p.hips_cm, p.arm_cm,
       p.thigh_cm, p.notes, p.created_by, p.created_at, p.updated_at,
       ph.filename AS photo_file
FROM progress_entries p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
LEFT JOIN progress_photos ph ON ph.entry_id = p.id
WHERE p.id = :id
ORDER BY ph.position
