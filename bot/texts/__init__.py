"""Every user-facing Vietnamese string, as typed functions, one module per feature."""
