"""Deploy BPMN diagrams as immutable, numbered versions and hand out their parsed specs.

A version stores the XML, its sha256, who and when, and the serialized spec; the spec is restored
once per process and cached, so running an instance never re-parses its diagram.
"""

import dataclasses
import hashlib
import json
import os
import threading
from pathlib import Path

from sqlalchemy import bindparam, func, select

from engine import access, audit, users
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import DecisionFile, ProcessDefinition, ProcessInstance, ProcessVersion
from engine.workflow import hooks, validation
from engine.workflow.spiff import SERIALIZER

# The diagrams and decision tables shipped with the product: deployed at setup, and the tables'
# fallback when an admin never saved their own.
SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "bpmn"

_spec_cache: dict = {}
_spec_lock = threading.Lock()


def _new_lock_in_child():
    # A thread of the parent (the periodic sweeps) may hold the lock at the moment of fork; in the
    # child that thread does not exist, so the inherited lock would never be released.
    global _spec_lock
    _spec_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_in_child)


def sha256_of(bpmn_xml: str, dmn_files: dict) -> str:
    digest = hashlib.sha256(bpmn_xml.encode("utf-8"))
    for name in sorted(dmn_files):
        digest.update(b"\0" + name.encode() + b"\0" + dmn_files[name].encode("utf-8"))
    return digest.hexdigest()


def validate(bpmn_xml: str) -> tuple[list[validation.ParsedDiagram] | None, dict, list]:
    """Parse and check a diagram against the current DMN files; return (processes, dmn used, errors).

    Every executable process of the file is checked (a collaboration deploys them all), call
    activities resolve against deployed definitions, and a new version of a process the code relies
    on must keep the element ids and forms its hooks declare.
    """
    if not isinstance(bpmn_xml, str) or not bpmn_xml.strip():
        return None, {}, [validation.problem("", "请求体为空：需要 BPMN XML (empty body: send the BPMN XML)")]
    library = _decision_library()
    parsed, errors = validation.parse(bpmn_xml, library, deployed=_deployed_spec)
    if errors:
        return None, {}, errors
    called = set().union(*(validation.called_decisions(p) for p in parsed))
    # Spiff keeps the table id, not the decision id, on a rule task: match files by their tables.
    dmn_used = {name: xml for name, xml in library.items() if called & set(validation.table_ids(xml))}
    roles = users.role_keys()
    for process in parsed:
        errors.extend(validation.check(process, roles, {}))
        errors.extend(validation.check_contract(process, hooks.required_elements(process.key)))
    errors.extend(validation.check_dmn_files(dmn_used))
    return parsed, dmn_used, list({(e["element_id"], e["message"]): e for e in errors}.values())


def _deployed_spec(key: str):
    """(spec, subprocess specs) of the latest deployed version of `key`, or None."""
    with reading() as s:
        row = s.execute(_STARTABLE, {"key": key}).first()
    return spec_for(row.id) if row is not None else None


def _decision_library() -> dict:
    with reading() as s:
        return {f.name: f.xml for f in s.scalars(select(DecisionFile))}


@dataclasses.dataclass(frozen=True)
class Deployed:
    key: str
    version: int
    sha256: str
    created: bool
    others: tuple = ()  # the other processes of a collaboration, deployed with it

    def summary(self) -> dict:
        """What a deploy answers: this process, and every process the file held."""
        return {"key": self.key, "version": self.version, "created": self.created,
                "processes": [{"key": d.key, "version": d.version, "created": d.created} for d in (self, *self.others)]}


def deploy(actor, bpmn_xml: str, starter_roles=None) -> Deployed:
    """Deploy every process of a diagram; return the first (with the others in `others`).

    An identical file is a no-op returning the existing version (created False).
    """
    if actor is not None:
        access.require_admin(actor)
    parsed, dmn_used, errors = validate(bpmn_xml)
    if errors:
        raise Invalid("流程图校验未通过 (the diagram has errors)", details=errors)
    digest = sha256_of(bpmn_xml, dmn_used)
    with transaction() as s:
        done = [_deploy_one(s, actor, process, bpmn_xml, dmn_used, digest, starter_roles) for process in parsed]
    return dataclasses.replace(done[0], others=tuple(done[1:]))


def _deploy_one(s, actor, parsed, bpmn_xml, dmn_used, digest, starter_roles) -> Deployed:
    definition = s.scalar(select(ProcessDefinition).where(ProcessDefinition.key == parsed.key).with_for_update())
    if definition is None:
        definition = ProcessDefinition(key=parsed.key, name=parsed.name, latest_version=0,
                                       starter_roles=list(starter_roles or []))
        s.add(definition)
        s.flush()
    existing = s.scalar(select(ProcessVersion).where(
        ProcessVersion.definition_id == definition.id, ProcessVersion.sha256 == digest))
    if existing is not None:
        return Deployed(parsed.key, existing.version, digest, False)
    definition.latest_version += 1
    definition.name = parsed.name
    if starter_roles is not None:
        definition.starter_roles = list(starter_roles)
    version = ProcessVersion(
        definition_id=definition.id, version=definition.latest_version, bpmn_xml=bpmn_xml,
        dmn_xml=dmn_used, sha256=digest, spec_json=json.dumps(_spec_dict(parsed)),
        deployed_by=getattr(actor, "username", None) or "system",
    )
    s.add(version)
    s.flush()
    audit.record(s, "deploy", actor=actor or "system", key=parsed.key, version=version.version)
    return Deployed(parsed.key, version.version, digest, True)


def _spec_dict(parsed) -> dict:
    registry = SERIALIZER.registry
    return {
        "spec": registry.convert(parsed.spec),
        "subprocess_specs": {k: registry.convert(v) for k, v in parsed.subprocess_specs.items()},
    }


def spec_for(version_id: int, spec_json: str | None = None):
    """Return (spec, subprocess_specs) of a version, restored once per process."""
    cached = _spec_cache.get(version_id)
    if cached is not None:
        return cached
    with _spec_lock:
        if version_id not in _spec_cache:
            if spec_json is None:
                with reading() as s:
                    spec_json = s.get(ProcessVersion, version_id).spec_json
            data = json.loads(spec_json)
            registry = SERIALIZER.registry
            spec = registry.restore(data["spec"])
            subs = {k: registry.restore(v) for k, v in data["subprocess_specs"].items()}
            _spec_cache[version_id] = (spec, subs)
    return _spec_cache[version_id]


def save_decision_file(actor, name: str, xml: str) -> DecisionFile:
    """Store a DMN file (from setup or the dmn-js editor); processes pick it up on their next deploy."""
    if actor is not None:
        access.require_admin(actor)
    errors = validation._check_dmn(name, xml)
    if errors:
        raise Invalid("DMN 校验未通过 (the decision table has errors)", details=errors)
    ids = validation.decision_ids(xml)
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    with transaction() as s:
        row = s.scalar(select(DecisionFile).where(DecisionFile.name == name))
        if row is None:
            row = DecisionFile(name=name, xml=xml, decision_ids=ids, sha256=digest)
            s.add(row)
        elif row.sha256 != digest:
            row.xml, row.decision_ids, row.sha256 = xml, ids, digest
            row.updated_by = getattr(actor, "username", None) or "system"
            audit.record(s, "dmn_saved", actor=actor or "system", name=name)
            hooks.run_after_decision_saved(s, name, actor)
        return row


_LATEST = (select(ProcessVersion).join(ProcessDefinition)
           .where(ProcessDefinition.key == bindparam("key"),
                  ProcessVersion.version == ProcessDefinition.latest_version))


# What starting an instance needs of the latest version, as one plain row: the ORM object with
# its joined definition cost more than the rest of the start's reads together.
_STARTABLE = (select(ProcessVersion.id, ProcessVersion.version, ProcessDefinition.starter_roles)
              .join(ProcessDefinition, ProcessVersion.definition_id == ProcessDefinition.id)
              .where(ProcessDefinition.key == bindparam("key"),
                     ProcessVersion.version == ProcessDefinition.latest_version))


def startable_version(session, key: str):
    """(id, version, starter_roles) of the version new instances of `key` take."""
    row = session.connection().execute(_STARTABLE, {"key": key}).first()
    if row is None:
        raise NotFound(f"流程 {key} 不存在 (no such process definition)")
    return row


def latest_version(session, key: str) -> ProcessVersion:
    version = session.scalar(_LATEST, {"key": key})
    if version is None:
        raise NotFound(f"流程 {key} 不存在 (no such process definition)")
    return version


def list_definitions() -> list[dict]:
    """Return every definition with its versions and running-instance counts per version."""
    with reading() as s:
        counts = dict(s.execute(
            select(ProcessInstance.version_id, func.count())
            .where(ProcessInstance.status.in_(("running", "waiting", "error")))
            .group_by(ProcessInstance.version_id)).all())
        out = []
        for d in s.scalars(select(ProcessDefinition).order_by(ProcessDefinition.key)):
            versions = s.scalars(select(ProcessVersion).where(ProcessVersion.definition_id == d.id)
                                 .order_by(ProcessVersion.version.desc()))
            out.append({
                "key": d.key, "name": d.name, "latest_version": d.latest_version,
                "starter_roles": d.starter_roles or [], "has_draft": bool(d.draft_xml),
                "versions": [{"version": v.version, "sha256": v.sha256, "deployed_by": v.deployed_by,
                              "deployed_at": v.deployed_at.isoformat(),
                              "running_instances": counts.get(v.id, 0)} for v in versions],
            })
        return out


def get_version(key: str, version: int | None = None) -> ProcessVersion:
    """Return a version with its XML loaded (for the editor, the viewer and diffs)."""
    with reading() as s:
        if version is None:
            row = latest_version(s, key)
        else:
            row = s.scalar(select(ProcessVersion).join(ProcessDefinition)
                           .where(ProcessDefinition.key == key, ProcessVersion.version == version))
        if row is None:
            raise NotFound(f"流程 {key} 没有版本 {version} (no such version)")
        row.bpmn_xml  # noqa: B018  (load the deferred column before the session closes)
        return row
