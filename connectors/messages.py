"""How a refused row reads on the data officer's screen: the command line's and the upload page's words.

Kept apart from the command line (``click``, ``httpx``) so that the hub's upload page, which runs
the connector in the browser, shows each problem in the same words.
"""

from __future__ import annotations


def describe_error(error: dict, detail: dict | None = None) -> str:
    """One rejection as a data officer reads it, in the terms of their file when the details are known.

    >>> describe_error({"row": 3, "field": "citizenship", "message": "is not a recognised value"},
    ...                {"line": 5, "column": "Nationality", "value": "Deutschland", "nearest": ["DEU"]})
    "row 3 (line 5), column 'Nationality' (citizenship): is not a recognised value; the cell holds 'Deutschland'; nearest: DEU"
    """
    detail = detail or {}
    where = "file" if error.get("row") is None else f"row {error['row']}"
    if detail.get("line"):
        where += f" (line {detail['line']})"
    field_name = error.get("field")
    if detail.get("column") and field_name:
        where += f", column '{detail['column']}' ({field_name})"
    elif field_name:
        where += f", {field_name}"
    text = f"{where}: {error['message']}"
    if "value" in detail:
        text += f"; the cell holds '{detail['value']}'"
        if "refused" in detail:
            text += f" ('{detail['refused']}' is not recognised)"
    if detail.get("nearest"):
        text += f"; nearest: {', '.join(detail['nearest'])}"
    return text
