"""User-facing errors: one line, naming the field; front ends exit 2 without a traceback."""


class UserError(ValueError):
    """Bad input from the user (file, flag or field). The message is one line."""
