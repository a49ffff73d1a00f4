"""A fake Discord REST API on 127.0.0.1 for driving the real discord.py client in tests.

It serves the routes Storyline's bot uses — login (`/users/@me`, the application), command
sync, channel messages and history, interaction callbacks and follow-up webhooks — records
every request body, and can be told to fail the next channel posts (429 with `retry_after`,
403, 404, 503). discord.py builds every URL from `discord.http.Route.BASE`, so pointing that
at this server is the whole redirection. Interactions are fed through discord.py's own
`parse_interaction_create`; the gateway socket is silent unless a test asks it to say HELLO
and answer heartbeats (`heartbeat_interval_ms`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER_ID = 900_000_000_000_000_001
APPLICATION_ID = 900_000_000_000_000_002
OWNER_ID = 900_000_000_000_000_003
TIMESTAMP = "2026-07-03T09:00:00.000000+00:00"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    response: Any = None


@dataclass
class Failure:
    """A canned error for the next POST to a channel."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None, "bot": bot, "public_flags": 0}


def rate_limited(retry_after: float) -> Failure:
    """A 429 exactly as Discord sends it (the `Via` header marks it as Discord, not Cloudflare)."""
    return Failure(
        429, {"message": "You are being rate limited.", "retry_after": retry_after,
              "global": False},
        {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Scope": "user"},
    )


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with the bare `application/json` type: discord.py compares it exactly."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


def _snowflake_at(iso: str) -> int:
    discord_epoch = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    return int((dt.datetime.fromisoformat(iso) - discord_epoch).total_seconds() * 1000) << 22


class FakeDiscord:
    """Routes + state. `messages[channel_id]` holds what was posted, oldest first."""

    def __init__(self, clock: Callable[[], dt.datetime] | None = None) -> None:
        """`clock` makes message ids from the time each message is posted (for long runs
        against a real clock, such as the soak script); by default they count up from the
        fixed `TIMESTAMP` every fake message carries."""
        self.requests: list[Recorded] = []
        self.messages: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.failures: dict[int, list[Failure]] = defaultdict(list)
        self.synced: dict[str, list[dict[str, Any]]] = {}
        self.reject_token = False  # answer login with 401, as Discord does for a bad token
        # Snowflakes as Discord makes them: milliseconds since 2015 shifted left 22 bits,
        # from the moment every fake message is stamped with, so time-based history works.
        self._ids = itertools.count(_snowflake_at(TIMESTAMP))
        self._clock = clock
        self._last_id = 0
        self.app = web.Application()
        self.app.router.add_route("*", "/api/v10/{tail:.*}", self._dispatch)
        self.app.router.add_get("/gateway", self._gateway)
        self.gateway_connections = 0
        # With an interval, the gateway says HELLO (op 10) and acknowledges each heartbeat
        # (op 1 → op 11), recording when it arrived; it never sends READY.
        self.heartbeat_interval_ms: int | None = None
        self.heartbeats: list[float] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.gateway_url = ""

    # --------------------------------------------------------------------- lifecycle
    async def start(self) -> str:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{port}/api/v10"
        self.gateway_url = f"ws://127.0.0.1:{port}/gateway"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --------------------------------------------------------------------- helpers
    def next_id(self) -> int:
        if self._clock is None:
            return next(self._ids)
        self._last_id = max(self._last_id + 1, _snowflake_at(self._clock().isoformat()))
        return self._last_id

    def message(self, channel_id: int, body: dict[str, Any], *,
                author_id: int = BOT_USER_ID) -> dict[str, Any]:
        return {
            "id": str(self.next_id()), "channel_id": str(channel_id), "type": 0,
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "attachments": [],
            "author": user_payload(author_id, "storyline", bot=True), "timestamp": TIMESTAMP,
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "pinned": False, "flags": body.get("flags") or 0,
        }

    def fail_next_posts(self, channel_id: int, *failures: Failure) -> None:
        self.failures[channel_id].extend(failures)

    def bodies(self, method: str, path_part: str) -> list[Any]:
        return [r.body for r in self.requests if r.method == method and path_part in r.path]

    def interaction_replies(self, token: str) -> list[dict[str, Any]]:
        """Everything sent in answer to one interaction: callback data, follow-ups, edits."""
        out: list[dict[str, Any]] = []
        for r in self.requests:
            if f"/{token}/callback" in r.path:
                out.append({"kind": "callback", "type": r.body["type"],
                            **(r.body.get("data") or {})})
            elif f"/webhooks/{APPLICATION_ID}/{token}" in r.path and r.method in {"POST", "PATCH"}:
                kind = "followup" if r.method == "POST" else "edit"
                out.append({"kind": kind, **r.body, "message": r.response})
        return out

    # --------------------------------------------------------------------- routing
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        """Accept the gateway socket. By default stay silent: the client waits for HELLO until
        it is closed, so REST-driven tests run with a "connecting" bot and no outside traffic.
        With `heartbeat_interval_ms` set, say HELLO so discord.py starts heartbeating, and
        answer each heartbeat the way Discord does (https://discord.com/developers/docs/
        events/gateway#sending-heartbeats)."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.gateway_connections += 1
        if self.heartbeat_interval_ms is not None:
            await socket.send_str(json.dumps(
                {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}))
        async for message in socket:
            if message.type != WSMsgType.TEXT or self.heartbeat_interval_ms is None:
                continue
            if json.loads(message.data).get("op") == 1:
                self.heartbeats.append(time.monotonic())
                await socket.send_str(json.dumps({"op": 11}))
        return socket

    async def _dispatch(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body: Any = None
        if raw:
            body = json.loads(raw) if request.content_type == "application/json" else raw
        path = "/" + request.match_info["tail"]
        record = Recorded(request.method, path, dict(request.query), body)
        self.requests.append(record)
        response = self._route(request, path, body)
        record.response = json.loads(response.body) if isinstance(response.body, bytes) else None
        return response

    def _route(self, request: web.Request, path: str, body: Any) -> web.Response:
        parts = path.strip("/").split("/")
        method = request.method
        if path == "/users/@me" and method == "GET":
            if self.reject_token:
                return _json({"message": "401: Unauthorized", "code": 0}, status=401)
            return _json(user_payload(BOT_USER_ID, "storyline", bot=True))
        if path == "/oauth2/applications/@me" and method == "GET":
            return _json(self._application())
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            return _json(self._sync(path, body))
        if parts[0] == "channels" and parts[-1] == "messages":
            channel_id = int(parts[1])
            if method == "POST":
                return self._post_message(channel_id, body)
            if method == "GET":
                return _json(self._history(channel_id, request.query))
        if parts[0] == "interactions" and parts[-1] == "callback" and method == "POST":
            return _json(self._callback(parts[1], body))
        if parts[0] == "webhooks" and method in {"POST", "PATCH"}:
            message = self.message(0, body or {})
            return _json(message)
        return _json({"message": "Unknown route", "code": 0}, status=404)

    def _history(self, channel_id: int, query: Any) -> list[dict[str, Any]]:
        """As Discord pages history: at most 100, newest first; `after` gives the oldest
        messages after that id, `before` the newest before it."""
        limit = min(int(query.get("limit", "50")), 100)
        posted = self.messages[channel_id]
        if "after" in query:
            after = int(query["after"])
            return list(reversed([m for m in posted if int(m["id"]) > after][:limit]))
        before = int(query["before"]) if "before" in query else None
        older = [m for m in posted if before is None or int(m["id"]) < before]
        return list(reversed(older))[:limit]

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APPLICATION_ID), "name": "Storyline", "description": "", "icon": None,
            "bot_public": False, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "owner": user_payload(OWNER_ID, "owner"), "flags": 0, "team": None,
            "summary": "", "interactions_endpoint_url": None,
        }

    def _sync(self, path: str, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.synced[path] = commands
        return [
            {**c, "id": str(self.next_id()), "application_id": str(APPLICATION_ID),
             "version": "1", "type": c.get("type", 1)}
            for c in commands
        ]

    def _post_message(self, channel_id: int, body: dict[str, Any]) -> web.Response:
        queue = self.failures[channel_id]
        if queue:
            failure = queue.pop(0)
            return _json(failure.body, status=failure.status,
                                     headers=failure.headers)
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        if nonce is not None:
            # Discord returns the earlier message instead of creating a second one (it keeps
            # nonces for a few minutes; the fake keeps them for its life).
            earlier = next((m for m in self.messages[channel_id] if m.get("nonce") == nonce),
                           None)
            if earlier is not None:
                return _json(earlier)
        message = self.message(channel_id, body)
        if nonce is not None:
            message["nonce"] = nonce
        self.messages[channel_id].append(message)
        return _json(message)

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = body["type"]
        data = body.get("data") or {}
        answer: dict[str, Any] = {
            "interaction": {"id": interaction_id, "type": 2,
                            "response_message_loading": kind == 5,
                            "response_message_ephemeral": bool(data.get("flags", 0) & 64)},
        }
        if kind in (4, 7):  # a message (new or edited) is the resource
            message = self.message(0, data)
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return answer

