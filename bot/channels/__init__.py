"""The edges: each channel turns its traffic into Bot API updates in and Bot API calls out."""
