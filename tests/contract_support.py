"""A transport that checks every request and every 2xx answer against Omnium's contract."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx

from packstation.omnium.contract import Violation, check_request, check_response, path_template


@dataclass
class Exchange:
    """One request and its answer, with what broke the contract in each."""

    method: str
    path: str
    template: str | None
    status: int
    request_violations: list[Violation]
    answer_violations: list[Violation]

    def __str__(self) -> str:
        problems = [f"request {v}" for v in self.request_violations]
        problems += [f"answer {v}" for v in self.answer_violations]
        return f"{self.method} {self.path} -> {self.status}: " + "; ".join(problems)


@dataclass
class ContractTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; records each exchange and its contract violations."""

    inner: httpx.AsyncBaseTransport
    exchanges: list[Exchange] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    """Links read outside Omnium's API (carrier labels on the order), in order."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        template = path_template(request.url.path)
        body = json.loads(request.content) if request.content else None
        asked = [] if template is None else check_request(request.method, template, body)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        answered: list[Violation] = []
        if (
            template is None
            and request.method == "GET"
            and not request.url.path.startswith("/api/")
        ):
            # A link the order carries (a carrier's label): not an Omnium endpoint, no schema.
            self.links.append(str(request.url))
        elif template is None:
            answered = [Violation("(path)", "not an endpoint of Omnium's contract")]
        elif response.is_success and "json" in response.headers.get("content-type", ""):
            answered = check_response(
                request.method, template, response.status_code, response.json()
            )
        elif response.is_success and template != "/api/Token":
            # Only the token endpoint may answer bare text (the JWT).
            answered = [Violation("(body)", "not JSON")]
        self.exchanges.append(
            Exchange(
                request.method, request.url.path, template, response.status_code, asked, answered
            )
        )
        return response

    @property
    def broken(self) -> list[Exchange]:
        """The exchanges where the request or the answer broke the contract."""
        return [e for e in self.exchanges if e.request_violations or e.answer_violations]

    def endpoints(self) -> set[tuple[str, str | None]]:
        """(method, template) of every exchange with a 2xx answer."""
        return {(e.method, e.template) for e in self.exchanges if 200 <= e.status < 300}
