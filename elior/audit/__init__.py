"""A client's records (issue 18): the access log of who read or changed them, and deleting an account on request."""
