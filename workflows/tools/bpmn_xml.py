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


def document(key, name, lane_xml, process_parts, diagram_parts) -> str:
    """The whole .bpmn file: one pool with its lanes, the process, and its diagram."""
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="{key}_defs" targetNamespace="http://gongkai/bpmn">
<bpmn:collaboration id="collaboration"><bpmn:participant id="participant" name={quoteattr(name)} processRef="{key}" /></bpmn:collaboration>
<bpmn:process id="{key}" name={quoteattr(name)} isExecutable="true">
<bpmn:laneSet id="lanes">{"".join(lane_xml)}</bpmn:laneSet>
{chr(10).join(process_parts)}
</bpmn:process>
<bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="collaboration">
{chr(10).join(diagram_parts)}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
'''
