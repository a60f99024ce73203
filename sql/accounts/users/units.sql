-- The caller's own units (elior/accounts/units.py), read by the edges that convert: the progress CSV export.
SELECT units_weight, units_length FROM users WHERE id = :id
