"""Add diagram interchange (shapes and edges) to a BPMN file that has none, so bpmn-js can draw it.

Hand-written and generated diagrams often carry only the process; bpmn-js refuses those ("no
diagram to display"). The layout is simple on purpose: columns by longest path from the start,
one band per lane, boundary events on their host's lower edge. A process with lanes is wrapped in
a pool (participant), which is how bpmn-js expects lanes to be modelled.
"""

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DDI = "http://www.omg.org/spec/DD/20100524/DI"
SIZES = {"event": (36, 36), "gateway": (50, 50), "task": (100, 80)}
COL_W, ROW_H, LEFT, TOP, POOL_LABEL = 160, 120, 80, 40, 30
_SKIP = {"sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "dataStoreReference",
         "textAnnotation", "association", "extensionElements", "documentation", "ioSpecification",
         "property", "messageFlow"}


def _local(el) -> str:
    return etree.QName(el).localname


def _kind(tag: str) -> str:
    if tag.endswith("Event"):
        return "event"
    if tag.endswith("Gateway"):
        return "gateway"
    return "task"


def ensure_layout(xml: str) -> str:
    """Return `xml` unchanged when it has shapes, else with a generated layout; unparsable input as is."""
    try:
        # An admin's upload: no entities, no network, no giant trees (XXE and entity bombs).
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return xml
    if root.find(f".//{{{DI}}}BPMNShape") is not None:
        return xml
    process = root.find(f"{{{BPMN}}}process")
    if process is None:
        return xml
    for old in root.findall(f"{{{DI}}}BPMNDiagram"):
        root.remove(old)
    _Layout(root, process).build()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


class _Layout:
    def __init__(self, root, process):
        self.root, self.process = root, process
        self.nodes = [el for el in process if isinstance(el.tag, str) and _local(el) not in _SKIP]
        self.flows = process.findall(f"{{{BPMN}}}sequenceFlow")
        self.lanes = process.findall(f".//{{{BPMN}}}lane")
        self.bounds: dict = {}

    def _columns(self) -> dict:
        ids = {n.get("id") for n in self.nodes}
        succ: dict = {i: [] for i in ids}
        for f in self.flows:
            a, b = f.get("sourceRef"), f.get("targetRef")
            if a in succ and b in ids:
                succ[a].append(b)
        for n in self.nodes:
            host = n.get("attachedToRef")
            if host in succ:
                succ[host].append(n.get("id"))
        # Drop back edges (loops) found by a depth-first walk, then take the longest path.
        state, order, edges = {}, [], {i: [] for i in ids}

        def visit(start):
            stack = [(start, iter(succ[start]))]
            state[start] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    order.append(node)
                    stack.pop()
                elif state.get(nxt) != 1:
                    edges[node].append(nxt)
                    if nxt not in state:
                        state[nxt] = 1
                        stack.append((nxt, iter(succ[nxt])))
        starts = [n.get("id") for n in self.nodes if _local(n) == "startEvent"]
        for i in [*starts, *sorted(ids)]:
            if i not in state:
                visit(i)
        col = dict.fromkeys(ids, 0)
        for node in reversed(order):
            for b in edges[node]:
                col[b] = max(col[b], col[node] + 1)
        return col

    def build(self):
        col = self._columns()
        lane_of = {}
        for i, lane in enumerate(self.lanes):
            for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
                lane_of[(ref.text or "").strip()] = i
        hosts = {n.get("id"): n.get("attachedToRef") for n in self.nodes if n.get("attachedToRef")}
        band_count = max(len(self.lanes), 1)
        cells: dict = {}
        for n in self.nodes:
            nid = n.get("id")
            if nid in hosts:
                continue
            band = lane_of.get(nid, 0)
            cells.setdefault((band, col[nid]), []).append(nid)
        rows = [max([len(v) for (b, _), v in cells.items() if b == band] or [1]) for band in range(band_count)]
        band_top = [TOP + sum(rows[:i]) * ROW_H for i in range(band_count)]
        left = LEFT + (POOL_LABEL if self.lanes else 0)
        kinds = {n.get("id"): _kind(_local(n)) for n in self.nodes}
        for (band, c), ids in cells.items():
            for r, nid in enumerate(ids):
                w, h = SIZES[kinds[nid]]
                cx, cy = left + 40 + c * COL_W + 50, band_top[band] + r * ROW_H + ROW_H // 2
                self.bounds[nid] = (cx - w // 2, cy - h // 2, w, h)
        for nid, host in hosts.items():
            hx, hy, hw, hh = self.bounds.get(host, (left, TOP, 100, 80))
            self.bounds[nid] = (hx + hw - 30, hy + hh - 18, 36, 36)
        width = max((x + w for x, _, w, _ in self.bounds.values()), default=300) + 60 - (left - POOL_LABEL)
        self._write(band_top, rows, left, width)

    def _write(self, band_top, rows, left, width):
        diagram = etree.SubElement(self.root, f"{{{DI}}}BPMNDiagram", id="BPMNDiagram_1")
        plane_ref = self.process.get("id")
        if self.lanes:
            plane_ref = self._wrap_in_pool()
        plane = etree.SubElement(diagram, f"{{{DI}}}BPMNPlane", id="BPMNPlane_1", bpmnElement=plane_ref)
        if self.lanes:
            height = sum(rows) * ROW_H
            self._shape(plane, f"Participant_{self.process.get('id')}", (left - POOL_LABEL - 40, TOP, width, height),
                        horizontal=True)
            for i, lane in enumerate(self.lanes):
                self._shape(plane, lane.get("id"), (left - 40, band_top[i], width - POOL_LABEL, rows[i] * ROW_H),
                            horizontal=True)
        for nid, box in self.bounds.items():
            self._shape(plane, nid, box)
        for f in self.flows:
            a, b = self.bounds.get(f.get("sourceRef")), self.bounds.get(f.get("targetRef"))
            if a and b:
                self._edge(plane, f.get("id"), a, b)

    def _wrap_in_pool(self) -> str:
        collab = etree.Element(f"{{{BPMN}}}collaboration", id=f"Collaboration_{self.process.get('id')}")
        etree.SubElement(collab, f"{{{BPMN}}}participant", id=f"Participant_{self.process.get('id')}",
                         name=self.process.get("name") or self.process.get("id"),
                         processRef=self.process.get("id"))
        self.process.addprevious(collab)
        return collab.get("id")

    @staticmethod
    def _shape(plane, element_id, box, horizontal=False):
        attrs = {"id": f"{element_id}_di", "bpmnElement": element_id}
        if horizontal:
            attrs["isHorizontal"] = "true"
        shape = etree.SubElement(plane, f"{{{DI}}}BPMNShape", attrs)
        x, y, w, h = box
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))

    @staticmethod
    def _edge(plane, element_id, a, b):
        edge = etree.SubElement(plane, f"{{{DI}}}BPMNEdge", id=f"{element_id}_di", bpmnElement=element_id)
        ax, ay = a[0] + a[2], a[1] + a[3] // 2
        bx, by = b[0], b[1] + b[3] // 2
        if bx <= ax:  # a loop back: leave from the bottom, come in from the bottom
            ax, ay, bx, by = a[0] + a[2] // 2, a[1] + a[3], b[0] + b[2] // 2, b[1] + b[3]
            low = max(ay, by) + 30
            points = [(ax, ay), (ax, low), (bx, low), (bx, by)]
        elif ay == by:
            points = [(ax, ay), (bx, by)]
        else:
            mid = (ax + bx) // 2
            points = [(ax, ay), (mid, ay), (mid, by), (bx, by)]
        for x, y in points:
            etree.SubElement(edge, f"{{{DDI}}}waypoint", x=str(x), y=str(y))
