-- One page of the library, in the order asked for (sql/shared/exercise_order.sql).
SELECT e.id, e.name, e.description, e.muscle_group, e.equipment, e.instructions, e.video_url, e.created_by,
       e.created_at, e.updated_at
FROM exercises e
WHERE (CAST(:pattern AS TEXT) IS NULL OR lower(e.name) LIKE :pattern ESCAPE '!')
  AND (CAST(:muscle_group AS TEXT) IS NULL OR e.muscle_group = :muscle_group)
  AND (CAST(:equipment AS TEXT) IS NULL OR e.equipment = :equipment)
{{ exercise_order }}
LIMIT :limit OFFSET :offset
