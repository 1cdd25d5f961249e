"""Throughput of rendering one-page orders: naive docxtpl cycle vs the compiled-template cache.

Usage: python bench/bench_render.py [N]   (default N = 200)

Both ways render the same N orders (different students and numbers) in the same run; the text
of every pair of documents is compared, and the run fails if any differs.
"""

from __future__ import annotations

import copy
import sys
import time
from datetime import date, timedelta

from services.documents.catalogue import shipped_templates
from services.documents.rendering import (
    DocumentRenderer,
    docx_text,
    format_order_number,
    load_context,
    make_environment,
    render_with_docxtpl,
)

TEMPLATE_KEY = "scholarship_stop_order"


def contexts(example: dict, count: int) -> list[dict]:
    result = []
    for index in range(count):
        issued = date(2023, 11, 6) + timedelta(days=index % 20)
        context = copy.deepcopy(example)
        context["number"] = format_order_number(1100 + index, issued)
        context["issued_on"] = issued.isoformat()
        context["student"]["name"] = f"Ученик „№ {index}“ & Синове <{index}>"
        context["unexcused_hours"] = 5 + index % 10
        result.append(context)
    return result


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    spec = next(spec for spec in shipped_templates() if spec.key == TEMPLATE_KEY)
    batch = contexts(spec.example, count)
    environment = make_environment()

    started = time.perf_counter()
    naive = [
        render_with_docxtpl(spec.docx_bytes, load_context(spec.schema_cls, context), environment)
        for context in batch
    ]
    naive_seconds = time.perf_counter() - started

    renderer = DocumentRenderer(environment)
    started = time.perf_counter()
    compiled = [renderer.render(spec, c) for c in batch]
    compiled_seconds = time.perf_counter() - started

    mismatches = sum(docx_text(a) != docx_text(b) for a, b in zip(naive, compiled, strict=True))
    naive_rate, compiled_rate = count / naive_seconds, count / compiled_seconds
    print(f"template: {TEMPLATE_KEY}, documents: {count}")
    print(f"naive docxtpl (DocxTemplate; render; save): {naive_rate:8.1f} docs/s  ({naive_seconds:.2f} s)")
    print(f"compiled once, cached per (key, version):  {compiled_rate:8.1f} docs/s  "
        f"({compiled_seconds:.2f} s)")
    print(f"speed-up: {compiled_rate / naive_rate:.1f}x (goal >= 4x)")
    print(f"identical text: {count - mismatches}/{count}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
