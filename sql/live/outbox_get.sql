SELECT payload FROM realtime_outbox WHERE id = :id
