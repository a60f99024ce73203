"""Untrusted bytes: type sniffing, metadata stripping, encryption at rest, virus scanning, storage, serving."""
