"""The rules of the performance cycle, in plain Python (no Flask, no FAB, no database)."""
