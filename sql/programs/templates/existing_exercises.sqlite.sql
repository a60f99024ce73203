-- Which of a JSON array of exercise ids exist: one statement however many lines a program names.
SELECT e.id FROM exercises e WHERE e.id IN (SELECT value FROM json_each(:ids))
