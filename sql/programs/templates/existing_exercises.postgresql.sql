-- Which of a JSON array of exercise ids exist: one statement however many lines a program names.
SELECT e.id FROM exercises e
WHERE e.id IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(:ids AS JSONB)))
