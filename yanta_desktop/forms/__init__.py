"""Declarative task forms: the format, the loader and entry validation (no Qt)."""

from .loader import Form, FormSet, check_folder, load_forms
from .validate import Context, Issue, make_context, normalise, strip_hidden, validate

__all__ = ["Context", "Form", "FormSet", "Issue", "check_folder", "load_forms", "make_context", "normalise", "strip_hidden", "validate"]
