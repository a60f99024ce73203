-- The failure that, once it leaves the window, lifts a block: the Nth most recent one for the account, and for the
-- address. NULL means fewer than N failures in the window, so no block.
SELECT
    (SELECT created_at FROM login_failures
      WHERE email = :email AND created_at > :since
      ORDER BY created_at DESC LIMIT 1 OFFSET :account_offset) AS account_block,
    (SELECT created_at FROM login_failures
      WHERE address = :address AND created_at > :since
      ORDER BY created_at DESC LIMIT 1 OFFSET :address_offset) AS address_block
