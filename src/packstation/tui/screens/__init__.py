"""The station's screens."""
