"""The database schema, one module per aggregate; importing this package registers every table.

Alembic migrations in `engine/migrations` own the schema; these classes are how code reads it.
"""

from engine.models.audit import AuditEvent, Notification
from engine.models.calendar import CalendarDay, CalendarYear
from engine.models.documents import (
    CatalogueCounter,
    Document,
    DocumentFile,
    Publication,
    PublishedAuditRun,
    PublishedSuspect,
    PublishedVersion,
    ReviewRecord,
)
from engine.models.reliability import FormVersion, IdempotencyKey
from engine.models.requests import (
    AgencySetting,
    AnnualReportSnapshot,
    AnnualReportText,
    ConversionProposal,
    InformationRequest,
    LegalProceeding,
    ReplyLetter,
    RequestNotice,
    RequestPause,
)
from engine.models.saved_filters import SavedFilter
from engine.models.search import SearchDocument, SearchInstance
from engine.models.sessions import UserSession
from engine.models.supervision import SupervisionRecord
from engine.models.users import Department, Role, User, user_roles
from engine.models.workflow import (
    DecisionFile,
    HumanTask,
    Incident,
    Outbox,
    ProcessDefinition,
    ProcessInstance,
    ProcessVersion,
    Timer,
)
from engine.models.workplan import (
    WorkPlan,
    WorkPlanLink,
    WorkPlanNotice,
    WorkPlanReport,
    WorkPlanSection,
    WorkPlanTask,
    WorkPlanUnit,
)

__all__ = [
    "AuditEvent", "CalendarDay", "CalendarYear", "DecisionFile", "Department", "HumanTask", "Incident",
    "Document", "DocumentFile", "FormVersion", "IdempotencyKey", "Notification", "Outbox", "Publication", "PublishedAuditRun", "PublishedSuspect", "PublishedVersion", "ReviewRecord", "ProcessDefinition", "ProcessInstance", "ProcessVersion", "Role",
    "SavedFilter", "SupervisionRecord", "Timer", "User", "UserSession", "user_roles",
    "AgencySetting", "AnnualReportText", "ConversionProposal", "InformationRequest", "LegalProceeding",
    "ReplyLetter", "RequestPause",
    "WorkPlan", "WorkPlanLink", "WorkPlanNotice", "WorkPlanReport", "WorkPlanSection", "WorkPlanTask", "WorkPlanUnit",
    "AnnualReportSnapshot", "CatalogueCounter", "RequestNotice", "SearchDocument", "SearchInstance",
]
