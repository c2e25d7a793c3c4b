"""Read a programme YAML file and explain every problem with its path in the file."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from models.programme import ProgrammeDefinition


class ProgrammeFileError(Exception):
    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)\n" + "\n".join(f"  {p}" for p in problems))


def load_programme(path: Path | str) -> ProgrammeDefinition:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgrammeFileError(path, ["file not found"]) from None
    except yaml.YAMLError as error:
        raise ProgrammeFileError(path, [f"not valid YAML: {error}"]) from None
    if not isinstance(raw, dict):
        raise ProgrammeFileError(path, ["the file must be a mapping of fields (slug, name, ...)"])
    try:
        return ProgrammeDefinition.model_validate(raw)
    except ValidationError as error:
        raise ProgrammeFileError(path, describe_errors(error)) from None


def describe_errors(error: ValidationError) -> list[str]:
    return [f"{error_path(item['loc']) or '(top level)'}: {plain_message(item)}" for item in error.errors()]


def error_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def plain_message(item: dict) -> str:
    kind, message = item["type"], item["msg"]
    if kind == "value_error" and "email address" in message:
        return "not an email address"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling against README's programme file section)"
    if kind == "literal_error":
        return message.replace("Input should be", "must be one of:")
    if kind == "enum":
        return message.replace("Input should be", "must be one of:")
    return message.removeprefix("Value error, ")


def find_programme(name_or_path: str, programmes_dir: Path) -> Path:
    """A programme is named by its file path or by its slug under the programmes folder."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        return candidate
    return programmes_dir / f"{name_or_path}.yaml"
