"""Write docs/templates/quiz-bank.xlsx and quiz-bank.csv from bot.services.quiz_template.

Run from the repository root after changing the template or its example questions:
    .venv/bin/python docs/templates/make_quiz_bank_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # run as a script, the repository is not on the path

from bot.quizbank import load_banks  # noqa: E402
from bot.services.quiz_template import build_csv, build_xlsx  # noqa: E402


def main() -> None:
    banks = load_banks()
    (HERE / "quiz-bank.xlsx").write_bytes(build_xlsx(banks))
    (HERE / "quiz-bank.csv").write_bytes(build_csv(banks))
    print(f"Wrote {HERE / 'quiz-bank.xlsx'} and {HERE / 'quiz-bank.csv'}")


if __name__ == "__main__":
    main()
