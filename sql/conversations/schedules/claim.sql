-- One process claims announcing a schedule's period: next_due moves on only if no one moved it first.
UPDATE check_in_schedules SET next_due = :next_due, due_period = :due_period
WHERE client_id = :client_id AND next_due = :was
RETURNING client_id
