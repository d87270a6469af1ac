"""Domain use cases: no chat framework; a session, a Clock and plain values in, dataclasses out."""
