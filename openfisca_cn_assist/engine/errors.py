"""Errors raised for input that the rules cannot use. Each names the variable and the rows."""


class InputError(ValueError):
    """An input value the rules cannot use; the message names the variable, the rows and what was expected."""


def rows_text(rows, limit: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" … ({len(rows)} in all)" if len(rows) > limit else "")
