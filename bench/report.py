"""docs/benchmarks.md from bench/benchmarks.md.in, keeping what others wrote.

The template's `## ` sections are scripts/bench's own: each run rewrites them. Every other `## `
section of the existing file (ephemeris, criterion details, key checks, usage queries, ...) is
written by hand or by another script and is carried over unchanged, in its order, after them.
"""

import re
import textwrap
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).resolve().parent / "benchmarks.md.in"


def split_sections(text):
    """(preamble, [(heading line, body)]) on `## ` headings outside code fences."""
    preamble, sections = [], []
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append([line.rstrip("\n"), []])
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "".join(preamble), [(heading, "".join(body)) for heading, body in sections]


def heading_key(heading):
    return re.sub(r"\s+", " ", heading.strip().lower())


def merge(existing, rendered, unmeasured=()):
    """The rendered template's sections, then the existing file's others, in their order. A
    section whose heading starts with one of `unmeasured` (a part this run left out) keeps its
    existing text, when there is one."""
    preamble, own = split_sections(rendered)
    owned = {heading_key(heading) for heading, _ in own}
    _, old = split_sections(existing)
    previous = {heading_key(heading): body for heading, body in old}
    left_out = lambda heading: any(heading_key(heading).startswith(heading_key(u)) for u in unmeasured)  # noqa: E731
    own = [(h, previous.get(heading_key(h), b) if left_out(h) else b) for h, b in own]
    kept = [(heading, body) for heading, body in old if heading_key(heading) not in owned]
    parts = [preamble]
    for heading, body in own + kept:
        body = body if body.endswith("\n\n") or not body else body.rstrip("\n") + "\n\n"
        parts.append(f"{heading}\n{body}")
    return "".join(parts).rstrip("\n") + "\n"


def write(path, values, unmeasured=()):
    """Renders the template with `values` and merges it into `path` (created when missing)."""
    rendered = Template(TEMPLATE.read_text()).substitute(values)
    path = Path(path)
    existing = path.read_text() if path.exists() else ""
    path.write_text(merge(existing, rendered, unmeasured))


def table(header, rows, align):
    """A Markdown table; `align` is one of 'l'/'r' per column."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def wrap(text, width=98):
    """Paragraphs and `- ` bullets wrapped to the docs' width (tables and code left alone)."""
    out = []
    for block in text.split("\n"):
        if block.startswith("- "):
            out.append(textwrap.fill(block, width, subsequent_indent="  ", break_on_hyphens=False))
        elif block.startswith(("|", "```", "#")) or not block:
            out.append(block)
        else:
            out.append(textwrap.fill(block, width, break_on_hyphens=False))
    return "\n".join(out)
