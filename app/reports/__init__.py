"""Report queries and xlsxwriter writers (streaming, constant memory)."""
