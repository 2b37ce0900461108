"""User-facing errors: one line, naming the field; front ends exit 2 without a traceback."""


class UserError(ValueError):
    """Bad input from the user (file, flag or field). The message is one line."""


class Failure(RuntimeError):
    """A failure the user did not cause but can act on (a full disk, a VLM that does not answer).

    Front ends print the one-line message as it is (no exception class name) and exit 1.
    """


def one_line(text) -> str:
    """``text`` as one printable line: a name a user's file put in a message may hold a newline or a
    control character, which is shown escaped (``\\r``) instead of breaking the line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text).strip())
