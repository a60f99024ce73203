INSERT INTO meals (plan_id, name, time, position)
VALUES (:plan_id, :name, :time, :position)
RETURNING id
