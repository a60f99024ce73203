"""Exports (issue 18): a client's data as one ZIP (data.json, a CSV per table, their files decrypted, manifest.json),
made by a background job with progress, downloaded through a signed, expiring link; and the import that loads such
a ZIP into another Elior. The table map both share is tables.py."""
