-- The ORDER BY of the exercise library (sql/training/exercises/page.sql), spliced as {{ exercise_order }}. `:sort`
-- is the validated `?order=` of EXERCISE_ORDER (elior/training/exercises.py): one branch per value it allows, the
-- same names (tests/training/test_listing.py). Ties go by id, in the direction of the sort.
ORDER BY CASE WHEN :sort = 'name' THEN lower(e.name) END,
         CASE WHEN :sort = '-name' THEN lower(e.name) END DESC,
         CASE WHEN :sort = 'created_at' THEN e.created_at END,
         CASE WHEN :sort = '-created_at' THEN e.created_at END DESC,
         CASE WHEN substr(:sort, 1, 1) = '-' THEN e.id END DESC,
         e.id
