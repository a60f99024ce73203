-- A deleted message's attachments go with its text (the files themselves stay the sender's).
DELETE FROM message_attachments WHERE message_id = :message_id
