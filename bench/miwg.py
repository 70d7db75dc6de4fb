"""Deploy every .bpmn file of a folder (e.g. the BPMN MIWG reference files) into a scratch database,
and draw each with the editor's bpmn-js in Chromium.

Prints, per file, what was deployed or each refusal with its element id, then how many elements
bpmn-js drew and its import warnings; ends with counts and how many refusals lack an element id.
Usage: python bench/miwg.py FOLDER
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
    render_all(folder)


VIEWER = Path(__file__).resolve().parents[1] / "web/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js"
DRAW = """async (xml) => {
    document.body.innerHTML = '<div id="canvas" style="width:1200px;height:800px"></div>';
    const viewer = new BpmnJS({container: '#canvas'});
    try {
        const {warnings} = await viewer.importXML(xml);
        return {drawn: document.querySelectorAll('#canvas .djs-element').length, warnings: warnings.length};
    } catch (err) {
        return {drawn: 0, error: String(err.message || err)};
    }
}"""


def render_all(folder: str) -> None:
    """Draw each file with the same bpmn-js the editor uses; count what was drawn."""
    from playwright.sync_api import sync_playwright

    from tests.support.chromium import find

    drawn = failed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(find()), args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(VIEWER))
        for path in sorted(Path(folder).glob("*.bpmn")):
            result = page.evaluate(DRAW, path.read_text(encoding="utf-8", errors="replace"))
            ok = result["drawn"] > 0 and "error" not in result
            drawn, failed = drawn + ok, failed + (not ok)
            print(f"{path.name}: drawn {result['drawn']} elements, {result.get('warnings', 0)} warnings"
                  + (f", error: {result['error']}" if "error" in result else ""))
        browser.close()
    print({"rendered": drawn, "not_rendered": failed})


if __name__ == "__main__":
    main(sys.argv[1])
