"""Fill a deploy/ template's ${NAME} placeholders from the environment and
print the result (deploy/prod.sh writes it to the run directory). A
placeholder with no value is an error, never an empty string. nginx's own
variables ($name) are left alone."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def render(template: str, values: dict[str, str]) -> str:
    missing = sorted({name for name in PLACEHOLDER.findall(template) if name not in values})
    if missing:
        raise SystemExit(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1]).read_text(), dict(os.environ)))
