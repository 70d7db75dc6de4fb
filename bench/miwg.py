"""Deploy every .bpmn file of a folder (e.g. the BPMN MIWG reference files) into a scratch database.

Prints, per file, what was deployed or each refusal with its element id; ends with counts and how
many refusals lack an element id. Usage: python bench/miwg.py FOLDER
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench/engine.py` would shadow the package

from engine import bootstrap, config, schema  # noqa: E402
from engine.errors import Invalid  # noqa: E402
from engine.workflow import definitions  # noqa: E402


def main(folder: str) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="gk-miwg-"))
    settings = config.configure(config.load({"GONGKAI_DATA_DIR": str(scratch),
                                             "DATABASE_URL": f"sqlite:///{scratch / 'miwg.db'}"}))
    schema.upgrade(settings.database_url)
    bootstrap.init(settings, demo=False)
    counts = {"deployed": 0, "refused": 0, "without_id": 0}
    for path in sorted(Path(folder).glob("*.bpmn")):
        began = time.monotonic()
        try:
            deployed = definitions.deploy(None, path.read_text(encoding="utf-8", errors="replace"))
        except Invalid as exc:
            counts["refused"] += 1
            for err in exc.details or [{"element_id": "", "message": exc.message}]:
                counts["without_id"] += not err["element_id"]
                print(f"{path.name}: refused {err['element_id'] or '-'}: {err['message'][:160]}")
            continue
        counts["deployed"] += 1
        keys = ", ".join(d.key for d in (deployed, *deployed.others))
        print(f"{path.name}: deployed {keys} in {time.monotonic() - began:.2f}s")
    print(counts)


if __name__ == "__main__":
    main(sys.argv[1])
