-- A start with no admin makes a new setup token; every earlier one dies with this.
DELETE FROM setup_tokens
