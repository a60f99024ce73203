-- Holds the entry for the read-modify-write of an update, so two updates cannot undo each other's fields.
SELECT p.id, p.client_id, p.date, p.weight_kg, p.body_fat_pct, p.chest_cm, p.waist_cm, p.hips_cm, p.arm_cm,
       p.thigh_cm, p.notes, p.created_by, p.created_at, p.updated_at
FROM progress_entries p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
WHERE p.id = :id
FOR UPDATE OF p
