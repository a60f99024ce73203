-- Accept a code's time-step only if it is later than the last one accepted: a replayed code (or an older one) takes
-- no row. One conditional UPDATE, so two requests racing with the same code cannot both win. `:enabled` 1: the
-- enrolment must be on (login, turning it off); 0: it must be pending (confirming it).
UPDATE two_factor SET last_step = :step
WHERE user_id = :user_id AND (last_step IS NULL OR last_step < :step)
  AND ((CAST(:enabled AS INTEGER) = 1 AND enabled_at IS NOT NULL) OR (CAST(:enabled AS INTEGER) = 0 AND enabled_at IS NULL))
RETURNING user_id
