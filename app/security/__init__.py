"""Who may do what: roles (roles.py), the row-level scope (scope.py), the security manager."""
