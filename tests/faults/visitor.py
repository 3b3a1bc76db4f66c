"""Enough of a browser to use the site over HTTP: cookies, CSRF tokens, redirects, response times.

Requests go to gunicorn's loopback port with the Host and X-Forwarded-Proto a TLS-terminating proxy
would send for https://c2c.example.org, so production settings (allowed hosts, HTTPS redirect,
secure cookies, CSRF origin checks) apply as they would for a real visitor.
"""

import http.client
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

HOST = "c2c.example.org"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str
    elapsed: float
    path: str

    def text(self, limit=600) -> str:
        return f"{self.status} {self.path} after {self.elapsed:.2f} s: {self.body[:limit]}"


class Visitor:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, timeout: float = 30) -> Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "User-Agent": "c2c-fault-tests"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                    "Referer": f"https://{HOST}{path}",
                }
            )
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Response(response.status, response.headers, content, elapsed, path)

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower().replace(" ", "") or not value.strip('"'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def get(self, path: str, *, follow: bool = True) -> Response:
        response = self.request("GET", path)
        return self._follow(response) if follow else response

    def post(self, path: str, data: dict, *, follow: bool = True) -> Response:
        if "csrftoken" not in self.cookies:
            self.get(path)
        response = self.request("POST", path, data)
        return self._follow(response) if follow else response

    def _follow(self, response: Response) -> Response:
        for _ in range(5):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            location = urlsplit(response.headers["Location"])
            assert location.netloc in ("", HOST), f"redirected off the site: {response.headers['Location']}"
            response = self.request("GET", location.path + (f"?{location.query}" if location.query else ""))
        return response

    def log_in(self, email: str, password: str) -> Response:
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"login": email, "password": password})
        assert "sessionid" in self.cookies, response.text()
        return response
