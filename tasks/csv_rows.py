"""All-or-nothing CSV reading: check every row, collect every problem, then fail or hand rows on.

Each import (participants, survey responses) declares its columns and reads each row's cells
through a `RowCells`; a problem is recorded with the row number a spreadsheet shows (header =
row 1) and the column, and reading goes on so the user sees every problem at once. Messages
never echo demographic answers.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

HEADER_ROW = 1


@dataclass(frozen=True)
class CsvProblem:
    row: int
    column: str | None
    what: str
    fix: str

    def render(self, file: str) -> str:
        where = f"{file}, row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.what} — {self.fix}"


class CsvImportError(ValueError):
    """A CSV file with problems; nothing from it was stored."""

    def __init__(self, path: Path | str, problems: list[CsvProblem]):
        self.path = Path(path)
        self.problems = sorted(problems, key=lambda p: p.row)
        self.messages = [problem.render(self.path.name) for problem in self.problems]
        super().__init__(
            f"{self.path}: {len(self.messages)} problem(s); nothing was imported\n"
            + "\n".join(f"  {m}" for m in self.messages)
        )


@dataclass(frozen=True)
class CsvColumns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


def parse_email(value: str) -> str:
    """The normalised, lower-cased address; raises ValueError with a readable reason."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValueError(str(error)) from None


@dataclass
class RowCells:
    """One data row's cells, read by typed accessors that record problems instead of raising."""

    number: int
    values: dict[str, str]
    problems: list[CsvProblem]
    _own_problems: int = field(default=0, init=False)

    @property
    def ok(self) -> bool:
        return self._own_problems == 0

    def problem(self, column: str | None, what: str, fix: str) -> None:
        self._own_problems += 1
        self.problems.append(CsvProblem(self.number, column, what, fix))

    def has(self, column: str) -> bool:
        return column in self.values

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self.values.get(column, "").strip()
        if value:
            return value
        if required and column in self.values:
            self.problem(column, "empty required value", f"fill in {column} for this row")
        return None

    def integer(
        self, column: str, *, minimum: int | None = None, maximum: int | None = None, required: bool = False, meaning: str = ""
    ) -> int | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        if minimum is not None and maximum is not None:
            how = f"write a whole number from {minimum} to {maximum}"
        else:
            how = f"write {meaning or column} as a whole number" + (f" of at least {minimum}" if minimum is not None else ", e.g. 3")
        try:
            number = int(value)
        except ValueError:
            self.problem(column, f"{value!r} is not a number", how)
            return None
        if minimum is not None and number < minimum or maximum is not None and number > maximum:
            bounds = f"the scale {minimum}–{maximum}" if maximum is not None else f"at least {minimum}"
            self.problem(column, f"{number} is outside {bounds}" if maximum is not None else f"{number} is below {minimum}", how)
            return None
        return number

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = False) -> str | None:
        allowed = list(allowed)
        value = self.text(column, required=required)
        if value is None:
            return None
        if value.lower() not in allowed:
            self.problem(column, f"unknown value {value!r}", f"use one of: {', '.join(allowed)}")
            return None
        return value.lower()

    def yes_no(self, column: str) -> bool | None:
        value = self.choice(column, ("yes", "no"))
        return None if value is None else value == "yes"

    def items(self, column: str) -> list[str]:
        """A `;`-separated list, blanks dropped, order kept, duplicates removed."""
        value = self.text(column) or ""
        seen: dict[str, None] = {}
        for item in value.split(";"):
            if item.strip():
                seen.setdefault(item.strip(), None)
        return list(seen)

    def email(self, column: str, *, required: bool = False) -> str | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        try:
            return parse_email(value)
        except ValueError as error:
            self.problem(column, f"{value!r} is not a valid email address ({error})", "correct the address")
            return None

    def emails(self, column: str) -> list[str]:
        found = []
        for value in self.items(column):
            try:
                found.append(parse_email(value))
            except ValueError as error:
                self.problem(column, f"{value!r} is not a valid email address ({error})", "correct the address; separate several with ;")
        return list(dict.fromkeys(found))


def read_rows(path: Path, columns: CsvColumns, problems: list[CsvProblem]) -> Iterator[RowCells]:
    """Yield each non-blank data row; header problems go into `problems` and reading goes on.

    Unknown columns are reported and ignored; a missing required column is reported once on
    the header row (not on every row) and its cells read as absent.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
    except FileNotFoundError:
        problems.append(CsvProblem(HEADER_ROW, None, "file not found", "check the path"))
        return
    except UnicodeDecodeError:
        problems.append(CsvProblem(HEADER_ROW, None, "the file is not UTF-8 text", "save it from your spreadsheet as 'CSV UTF-8'"))
        return
    if not lines or not any(cell.strip() for cell in lines[0]):
        problems.append(CsvProblem(HEADER_ROW, None, "the file has no header row", f"put the column names on the first line: {','.join(columns.required)}"))
        return
    header = [cell.strip().lower() for cell in lines[0]]
    _check_header(header, columns, problems)
    known = set(columns.known)
    for offset, cells in enumerate(lines[1:], start=HEADER_ROW + 1):
        if not any(cell.strip() for cell in cells):
            continue
        unnamed = any(cell.strip() for i, cell in enumerate(cells) if i >= len(header) or not header[i])
        if unnamed:
            problems.append(CsvProblem(offset, None, "the row has a value under no column name", "remove the extra value or name its column in the header (a comma inside a value needs quotes)"))
        values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name in known}
        yield RowCells(offset, values, problems)


def _check_header(header: list[str], columns: CsvColumns, problems: list[CsvProblem]) -> None:
    for name in columns.required:
        if name not in header:
            problems.append(CsvProblem(HEADER_ROW, name, "missing required column", f"add a column headed {name!r}"))
    unknown = [name for name in header if name and name not in columns.known]
    if unknown:
        problems.append(CsvProblem(HEADER_ROW, ", ".join(unknown), f"unknown column(s): {', '.join(unknown)}", f"remove or rename them; the known columns are {', '.join(columns.known)}"))
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    for name in duplicated:
        problems.append(CsvProblem(HEADER_ROW, name, "the column appears more than once", "keep one column with this name"))


def fail_on_problems(path: Path, problems: list[CsvProblem]) -> None:
    if problems:
        raise CsvImportError(path, problems)
