"""Every released form version, kept so that a packet filled with an older form still verifies.

``forms/archive/<id>.v<version>.json`` holds the merged definition (task form + common envelope)
exactly as ``Form.definition()`` returns it; its SHA-256 over canonical JSON is the form hash
that entries and packets carry. Changing a form means bumping its ``version`` and running
``yanta forms archive``; a test refuses a form whose content changed under an archived version.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from .. import canonical
from ..errors import FormFileError
from .loader import Form
from .model import FormSpec


def archive_dir(forms_folder: Path) -> Path:
    return forms_folder / "archive"


def archive_name(form: Form) -> str:
    return f"{form.id}.v{form.version}.json"


def form_from_definition(definition: dict, path: Path) -> Form:
    """Rebuild a Form from an archived merged definition (sections and rules already merged)."""
    try:
        spec = FormSpec.model_validate(definition)
    except ValidationError as exc:
        raise FormFileError([f"{path}: 存档表单无效：{exc.error_count()} 处错误"]) from None
    digest = hashlib.sha256(canonical.dumps(definition)).hexdigest()
    return Form(spec, tuple(spec.sections), tuple(spec.rules), digest, path)


def load_archive(forms_folder: Path) -> dict[tuple[str, int, str], Form]:
    """(id, version, sha256) → Form for every archived version."""
    out: dict[tuple[str, int, str], Form] = {}
    folder = archive_dir(forms_folder)
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("task[0-9][0-9].v*.json")):
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FormFileError([f"{path}: 无法读取存档表单：{exc}"]) from None
        form = form_from_definition(definition, path)
        out[(form.id, form.version, form.sha256)] = form
    return out


def archive_current(forms: list[Form], forms_folder: Path) -> tuple[list[Path], list[str]]:
    """Write the current forms into the archive. Returns (written, problems).

    A problem is a form whose content differs from the archived definition of the same version:
    its version must be bumped, else packets filled with the old content stop verifying.
    """
    folder = archive_dir(forms_folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    problems: list[str] = []
    for form in forms:
        path = folder / archive_name(form)
        text = json.dumps(form.definition(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if path.exists():
            old = form_from_definition(json.loads(path.read_text(encoding="utf-8")), path)
            if old.sha256 != form.sha256:
                problems.append(
                    f"{form.path}: 内容已改动但版本仍为第{form.version}版（存档 {path.name} 为 {old.sha256[:12]}，"
                    f"现为 {form.sha256[:12]}）。请把 version 加一后再存档。"
                )
            continue
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written, problems
