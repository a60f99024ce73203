-- The ORDER BY of the workout lists (sql/training/workouts/page_*.sql), spliced as {{ workout_order }}. `:sort` is
-- the validated `?order=` of WORKOUT_ORDER (elior/training/workouts.py): one branch per value it allows, the same
-- names (tests/training/test_listing.py). Ties go by id, in the direction of the sort.
ORDER BY CASE WHEN :sort = 'scheduled_for' THEN w.scheduled_for END,
         CASE WHEN :sort = '-scheduled_for' THEN w.scheduled_for END DESC,
         CASE WHEN :sort = 'created_at' THEN w.created_at END,
         CASE WHEN :sort = '-created_at' THEN w.created_at END DESC,
         CASE WHEN :sort = 'title' THEN lower(w.title) END,
         CASE WHEN :sort = '-title' THEN lower(w.title) END DESC,
         CASE WHEN :sort = 'status' THEN w.status END,
         CASE WHEN :sort = '-status' THEN w.status END DESC,
         CASE WHEN substr(:sort, 1, 1) = '-' THEN w.id END DESC,
         w.id
