"""My notifications (reminders, escalations, messages from the procedures)."""


from engine import notifications
from web.api import bp
from web.api.schemas import NotificationListSchema, respond
from web.auth import require_user


@bp.get("/notifications")
def list_notifications():
    """My notifications, newest first.
    ---
    get:
      responses: {200: {content: {application/json: {schema: NotificationListSchema}}}}
    """
    return respond(NotificationListSchema, {"items": notifications.for_user(require_user(), limit=100)})
