-- Live pushes about the client still waiting in the outbox (on PostgreSQL a delivered row waits for its writer's
-- next sweep to be deleted): each push names the client it is about by its "client_id" key in its JSON, as the two
-- patterns spell it (orjson writes no spaces). The client is gone; what of theirs was not yet pushed never will be.
DELETE FROM notification_outbox
WHERE payload LIKE :within ESCAPE '!' OR payload LIKE :last ESCAPE '!'
