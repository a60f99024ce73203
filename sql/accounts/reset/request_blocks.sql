-- The request that, once it leaves the window, lifts a block: the Nth most recent one for the email, and for the
-- address. NULL means fewer than N requests in the window, so no block (as accounts.auth.failure_blocks).
SELECT
    (SELECT created_at FROM password_reset_requests
      WHERE email = :email AND created_at > :since
      ORDER BY created_at DESC LIMIT 1 OFFSET :email_offset) AS email_block,
    (SELECT created_at FROM password_reset_requests
      WHERE address = :address AND created_at > :since
      ORDER BY created_at DESC LIMIT 1 OFFSET :address_offset) AS address_block
