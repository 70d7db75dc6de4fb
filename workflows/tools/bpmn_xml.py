"""XML pieces shared by the diagram generators: a service-task operator and diagram shapes/edges."""

from xml.sax.saxutils import quoteattr


def operator(operation, params, nid):
    """The spiffworkflow extension naming a service task's operation and its parameters."""
    items = "".join(f'<spiffworkflow:parameter id="{k}" type="str" value={quoteattr(v)} />' for k, v in params.items())
    return (f'<bpmn:extensionElements><spiffworkflow:serviceTaskOperator id="{operation}" resultVariable="{nid}_result">'
            f"<spiffworkflow:parameters>{items}</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>"
            f"</bpmn:extensionElements>")


def shape(nid, x, y, w, h, extra=""):
    return (f'<bpmndi:BPMNShape id="{nid}_di" bpmnElement="{nid}"{extra}>'
            f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" /></bpmndi:BPMNShape>')


def edge(fid, points):
    wps = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
    return f'<bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">{wps}</bpmndi:BPMNEdge>'
