-- The library is studio-wide: every signed-in user reads every exercise. `can_change` decides in SQL who may edit:
-- the creator or an admin.
SELECT e.id, e.name, e.description, e.muscle_group, e.equipment, e.instructions, e.video_url, e.created_by,
       e.created_at, e.updated_at,
       CASE WHEN :caller_role = 'admin' OR e.created_by = :caller_id THEN 1 ELSE 0 END AS can_change
FROM exercises e
WHERE e.id = :id
