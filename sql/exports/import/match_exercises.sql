-- Import: the studio's own library entry of an exported exercise's name, if it has one, so that an imported client's
-- workouts point at it rather than at a second "Back squat" (names compared as the library's search does).
SELECT id FROM exercises WHERE lower(name) = lower(:name) ORDER BY id LIMIT 1
