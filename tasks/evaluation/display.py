"""How figures are shown in every output: shares as whole percents, means to one decimal."""


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def decimal(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def signed(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:+.{places}f}"


def p_value(value: float | None) -> str:
    if value is None:
        return "not tested"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def share_or_none(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def figure(value: float | None, kind: str) -> str:
    """Show a key figure by its kind: share, count, mean or change."""
    if value is None:
        return "–"
    if kind == "share":
        return percent(value)
    if kind == "count":
        return f"{value:.0f}"
    if kind == "change":
        return signed(value)
    return decimal(value)


def figure_change(this: float | None, previous: float | None, kind: str) -> str:
    if this is None or previous is None:
        return "–"
    difference = this - previous
    if kind == "share":
        return f"{difference * 100:+.0f} pts"
    if kind == "count":
        return f"{difference:+.0f}"
    return signed(difference)
