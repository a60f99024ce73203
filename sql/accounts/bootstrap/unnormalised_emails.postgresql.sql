-- Emails that may predate NFKC normalisation: only those with a character outside printable ASCII (an ASCII email
-- that passes the table's lower() check is already normalised). Read once at each start; usually none.
SELECT id, email FROM users WHERE email ~ '[^ -~]'
