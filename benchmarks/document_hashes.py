"""SHA-256 of every sample document, PDF and DOCX: the check that a speed-up of the documents
changed no byte.

    python benchmarks/document_hashes.py --write /tmp/before.json     # on the code before
    python benchmarks/document_hashes.py --compare /tmp/before.json   # on the code after: exit 1 on a difference

Every context of the test samples (tests/documents/samples.py, coercion_samples.py) is rendered
as every kind it is complete for (`document_problems` empty), in one process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hashes() -> dict[str, str]:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from sanxiang.documents import ALL_DOCUMENT_KINDS, document_problems, document_render
    from tests.documents import coercion_samples, samples

    contexts = {
        name: value
        for module in (samples, coercion_samples)
        for name, value in vars(module).items()
        if name.endswith("_context") and callable(value)
    }
    found = {}
    for name, make in sorted(contexts.items()):
        context = make()
        for kind in sorted(ALL_DOCUMENT_KINDS):
            if document_problems(kind=kind, context=context):
                continue
            rendered = document_render(kind=kind, context=context)
            found[f"{name}/{kind}.pdf"] = hashlib.sha256(rendered.pdf).hexdigest()
            found[f"{name}/{kind}.docx"] = hashlib.sha256(rendered.docx).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found = hashes()
    print(f"{len(found)} sample documents")
    if args.write:
        args.write.write_text(json.dumps(found, indent=1, sort_keys=True))
    if args.compare:
        before = json.loads(args.compare.read_text())
        differ = sorted(k for k in before.keys() | found.keys() if before.get(k) != found.get(k))
        for key in differ:
            print(f"differs: {key}")
        print("identical" if not differ else f"{len(differ)} differ")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
