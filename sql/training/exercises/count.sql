SELECT COUNT(*)
FROM exercises e
WHERE (CAST(:pattern AS TEXT) IS NULL OR lower(e.name) LIKE :pattern ESCAPE '!')
  AND (CAST(:muscle_group AS TEXT) IS NULL OR e.muscle_group = :muscle_group)
  AND (CAST(:equipment AS TEXT) IS NULL OR e.equipment = :equipment)
