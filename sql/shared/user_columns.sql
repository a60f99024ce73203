-- A user as the API shows it (elior/accounts/users.py user_json): the columns of `c`, a users row, and `p`, its
-- profiles row (LEFT JOIN profiles p ON p.user_id = c.id). One list for the user reads and the sign-in check, so
-- the sign-in row can answer GET /api/auth/me without a second statement.
c.id, c.email, c.full_name, c.role, c.trainer_id, c.is_active, c.created_at, c.updated_at,
c.units_weight, c.units_length, c.language, p.phone, p.date_of_birth, p.height_cm, p.goals, p.medical_notes
