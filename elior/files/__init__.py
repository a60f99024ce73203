"""Files: the upload, list, download and delete endpoints (the bytes themselves are elior.media's)."""
