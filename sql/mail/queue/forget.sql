-- Every mail to one address, sent or not (an account erased: its mail is neither kept nor sent).
DELETE FROM mail_queue WHERE lower(recipient) = lower(:recipient)
RETURNING id
