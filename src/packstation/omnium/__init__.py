"""Omnium's wire: pydantic models of its JSON, typed errors and the async client."""
