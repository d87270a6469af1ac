"""Labels of the demo people in the local web chat."""

from __future__ import annotations


def persona_label(role_name: str, full_name: str) -> str:
    return f"{role_name} — {full_name}"


def persona_hint(joined: bool, code: str) -> str:
    return "Đã tham gia chi bộ" if joined else f"Người mới, dùng mã mời {code}"
