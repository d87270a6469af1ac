"""Framework-free "what to show": service results → Screen(text, buttons)."""
