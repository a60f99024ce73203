"""The HTTP layer: route declarations, request schemas, errors, middleware, authentication, the SPA's files."""
