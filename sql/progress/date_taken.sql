-- Another entry of the same client on that date (moving an entry onto it is a 409).
SELECT id FROM progress_entries WHERE client_id = :client_id AND date = :date AND id <> :id
