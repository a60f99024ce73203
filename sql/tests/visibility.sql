-- Used by tests/accounts/test_visibility.py: the two visibility rules evaluated for one caller against every user.
SELECT c.id,
       CASE WHEN {{ caller_sees_client }} THEN 1 ELSE 0 END AS sees,
       CASE WHEN {{ caller_coaches_client }} THEN 1 ELSE 0 END AS coaches
FROM users c
ORDER BY c.id
