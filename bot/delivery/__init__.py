"""Getting messages in and out exactly as DESIGN.md §4 promises, without chat-framework types."""
