"""A NestSync backend in Strawberry, serving the example project's schema on 127.0.0.1, for the
GraphQL gates' tests. Switches (environment): NESTSYNC_RENAME_ANALYTICS=1 renames
getAnalyticsDashboard to getAnalyticsOverview; NESTSYNC_AUTO_CAMEL_CASE=0 serves snake_case names;
NESTSYNC_DISABLE_INTROSPECTION=1 refuses introspection; NESTSYNC_AUTH_EVERYTHING=1 answers 401 to any request
without a bearer token (introspection too); NESTSYNC_ANALYTICS_DELAY_MS delays the
analytics resolver; NESTSYNC_JWT_SECRET makes analytics and me require a bearer token signed with it;
DATABASE_URL makes myChildren and me read the children table; NESTSYNC_LAYOUT=railway serves the
examples/nestsync-railway backend (getAnalyticsDashboard(childId: String!, days: Int! = 30));
NESTSYNC_LAYOUT=connections serves NestSync's own shapes: me without children, myChildren as a Relay
connection (edges, node), getAnalyticsDashboard(childId: String = null) answering a result payload
(success, message, error, dashboard), which NESTSYNC_ANALYTICS_FAILS=1 makes answer success: false.
usage: nestsync_backend.py PORT (0: a free one, printed on standard output)"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import socket
import sys
import time
import typing

import strawberry
import uvicorn
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.asgi import GraphQL
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig


@strawberry.type
class SizeRecommendation:
    size: str
    confidence: float


@strawberry.type
class AnalyticsDashboard:
    child_id: strawberry.ID
    period_days: int
    total_changes: int
    average_changes_per_day: float
    predicted_run_out_date: typing.Optional[datetime.date]
    size_recommendations: typing.List[SizeRecommendation]


@strawberry.type
class Child:
    id: strawberry.ID
    child_id: strawberry.ID
    name: str
    date_of_birth: datetime.date
    current_diaper_size: typing.Optional[str]


@strawberry.type
class User:
    id: strawberry.ID
    email: str
    first_name: typing.Optional[str]
    province: typing.Optional[str]
    children: typing.List[Child]


@strawberry.type
class NotificationPreferences:
    notifications_enabled: bool
    quiet_hours_start: typing.Optional[str]
    quiet_hours_end: typing.Optional[str]
    notification_consent_granted: bool
    marketing_consent_granted: bool


def read_children() -> typing.List[Child]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return [Child(id="c1", child_id="c1", name="Kid", date_of_birth=datetime.date(2025, 1, 1), current_diaper_size="2")]
    import psycopg2
    # One connection kept open, as an application's pool keeps them (SQLAlchemy's engine does by
    # default); opened again when the server has dropped it (a restarted database).
    for attempt in (1, 2):
        connection = DATABASE.get("connection")
        try:
            if connection is None or connection.closed:
                connection = DATABASE["connection"] = psycopg2.connect(url)
                connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT id, name, date_of_birth, current_diaper_size FROM children ORDER BY name")
                return [Child(id=str(r[0]), child_id=str(r[0]), name=r[1], date_of_birth=r[2], current_diaper_size=r[3]) for r in cursor]
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            DATABASE.pop("connection", None)
            if attempt == 2:
                raise


DATABASE: typing.Dict[str, typing.Any] = {}


def analytics(info: strawberry.Info, child_id: strawberry.ID, period_days: int = 30) -> AnalyticsDashboard:
    require_token(info)
    delay = int(os.environ.get("NESTSYNC_ANALYTICS_DELAY_MS", "0"))
    if delay:
        time.sleep(delay / 1000)
    return AnalyticsDashboard(child_id=child_id, period_days=period_days, total_changes=42, average_changes_per_day=6.0,
                              predicted_run_out_date=None, size_recommendations=[SizeRecommendation(size="3", confidence=0.8)])


def require_token(info: strawberry.Info) -> None:
    """With NESTSYNC_JWT_SECRET set, analytics needs a bearer token signed with it (HS256), as Supabase's are."""
    check_bearer(info.context["request"].headers.get("authorization", ""))


def check_bearer(header: str) -> None:
    """Raises PermissionError unless `header` is a bearer token signed with NESTSYNC_JWT_SECRET (when set)."""
    secret = os.environ.get("NESTSYNC_JWT_SECRET")
    if not secret:
        return
    if not header.startswith("Bearer "):
        raise PermissionError("not authenticated: no bearer token")
    try:
        head, payload, signature = header[7:].split(".")
        expected = base64.urlsafe_b64encode(hmac.new(secret.encode(), f"{head}.{payload}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, json.JSONDecodeError) as error:
        raise PermissionError("not authenticated: malformed token") from error
    if not hmac.compare_digest(expected, signature) or claims.get("exp", 0) < time.time():
        raise PermissionError("not authenticated: invalid token")


def notification_preferences() -> NotificationPreferences:
    return NotificationPreferences(notifications_enabled=True, quiet_hours_start=None, quiet_hours_end=None,
                                   notification_consent_granted=True, marketing_consent_granted=False)


@strawberry.input
class UpdateNotificationPreferencesInput:
    notifications_enabled: typing.Optional[bool] = None
    quiet_hours_start: typing.Optional[str] = None
    quiet_hours_end: typing.Optional[str] = None
    notification_consent_granted: typing.Optional[bool] = None
    marketing_consent_granted: typing.Optional[bool] = None


@strawberry.input
class LogDiaperChangeInput:
    child_id: strawberry.ID
    changed_at: datetime.datetime
    wetness: typing.Optional[str] = None


@strawberry.type
class Mutation:
    """Declared so the frontend's mutations validate; the tests never call them (gates never write)."""
    @strawberry.mutation
    def update_notification_preferences(self, input: UpdateNotificationPreferencesInput) -> NotificationPreferences:
        raise PermissionError("read-only test backend")

    @strawberry.mutation
    def log_diaper_change(self, input: LogDiaperChangeInput) -> Child:
        raise PermissionError("read-only test backend")


@strawberry.type
class BaseQuery:
    @strawberry.field
    def me(self, info: strawberry.Info) -> typing.Optional[User]:
        require_token(info)
        return User(id="u1", email="parents@nestsync.com", first_name="Pat", province="ON", children=read_children())

    @strawberry.field
    def my_children(self) -> typing.List[Child]:
        return read_children()

    @strawberry.field
    def get_notification_preferences(self) -> NotificationPreferences:
        return notification_preferences()


@strawberry.type
class UserProfile:
    id: strawberry.ID
    email: str
    first_name: typing.Optional[str]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: typing.Optional[str]


@strawberry.type
class ChildEdge:
    node: Child
    cursor: str


@strawberry.type
class ChildConnection:
    page_info: PageInfo
    edges: typing.List[ChildEdge]


@strawberry.type
class AnalyticsDashboardResponse:
    success: bool
    message: typing.Optional[str]
    error: typing.Optional[str]
    dashboard: typing.Optional[AnalyticsDashboard]


@strawberry.type
class ConnectionsQuery:
    @strawberry.field
    def me(self, info: strawberry.Info) -> typing.Optional[UserProfile]:
        require_token(info)
        return UserProfile(id="u1", email="parents@nestsync.com", first_name="Pat")

    @strawberry.field
    def my_children(self, info: strawberry.Info, first: int = 10, after: typing.Optional[str] = None) -> ChildConnection:
        require_token(info)
        children = read_children()[:first]
        return ChildConnection(page_info=PageInfo(has_next_page=False, end_cursor=children[-1].id if children else None),
                               edges=[ChildEdge(node=child, cursor=child.id) for child in children])

    @strawberry.field
    def get_notification_preferences(self) -> NotificationPreferences:
        return notification_preferences()

    @strawberry.field
    def get_analytics_dashboard(self, info: strawberry.Info, child_id: typing.Optional[str] = None) -> AnalyticsDashboardResponse:
        if os.environ.get("NESTSYNC_ANALYTICS_FAILS") == "1":
            return AnalyticsDashboardResponse(success=False, message=None, error="analytics service unavailable", dashboard=None)
        return AnalyticsDashboardResponse(success=True, message=None, error=None, dashboard=analytics(info, child_id or "", 30))


RENAMED = os.environ.get("NESTSYNC_RENAME_ANALYTICS") == "1"
if os.environ.get("NESTSYNC_LAYOUT") == "railway":
    # The railway layout's backend: the child id is a String and the period is called days.
    def dashboard(self, info: strawberry.Info, child_id: str, days: int = 30) -> AnalyticsDashboard:
        return analytics(info, child_id, days)
else:
    def dashboard(self, info: strawberry.Info, child_id: strawberry.ID, period_days: int = 30) -> AnalyticsDashboard:
        return analytics(info, child_id, period_days)

Query = strawberry.type(type("Query", (BaseQuery,), {
    "get_analytics_overview" if RENAMED else "get_analytics_dashboard": strawberry.field(dashboard),
}))
if os.environ.get("NESTSYNC_LAYOUT") == "connections":
    Query = ConnectionsQuery

extensions = [AddValidationRules([NoSchemaIntrospectionCustomRule])] if os.environ.get("NESTSYNC_DISABLE_INTROSPECTION") == "1" else []
schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions,
                           config=StrawberryConfig(auto_camel_case=os.environ.get("NESTSYNC_AUTO_CAMEL_CASE", "1") != "0"))
# Port 0: the server binds a free port itself and prints it first on standard output, so no other
# process can take the port between its choice and the bind.
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
print(listener.getsockname()[1], flush=True)
sys.stdout = open(os.devnull, "w")  # nobody reads the pipe after the port
app = GraphQL(schema)


async def everything_needs_a_token(scope, receive, send):
    """NESTSYNC_AUTH_EVERYTHING=1: every request without a valid bearer token is answered 401,
    introspection included, as an API behind an authenticating gateway or context function is."""
    if scope["type"] == "http":
        headers = {name.decode().lower(): value.decode() for name, value in scope.get("headers", [])}
        try:
            check_bearer(headers.get("authorization", ""))
        except PermissionError as refusal:
            body = json.dumps({"errors": [{"message": str(refusal)}]}).encode()
            await send({"type": "http.response.start", "status": 401, "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
    await app(scope, receive, send)


served = everything_needs_a_token if os.environ.get("NESTSYNC_AUTH_EVERYTHING") == "1" else app
uvicorn.Server(uvicorn.Config(served, log_level="warning")).run(sockets=[listener])
