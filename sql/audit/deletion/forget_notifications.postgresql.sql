-- Other people's notifications about the client (their trainer's: "logged a workout"), which carry the client's
-- id and name in `data`; the client's own go with the account.
DELETE FROM notifications WHERE (data::jsonb ->> 'client_id') = CAST(CAST(:client_id AS BIGINT) AS TEXT)
RETURNING id
