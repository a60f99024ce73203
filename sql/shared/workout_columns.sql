-- A workout as the API shows it, less its exercises (WORKOUT_OUT in elior/training/workouts.py): the columns of `w`,
-- a workouts row. One list for the GET, the GET inside a write and the three pages.
w.id, w.client_id, w.trainer_id, w.title, w.notes, w.scheduled_for, w.status, w.created_at, w.updated_at,
w.completed_at
