"""Nutrition: meal plans and the client's meal entries."""
