"""The recorded payloads of the sources, served over HTTP on 127.0.0.1.

The tests and the offline demo (`manage.py sync_sources --offline`) point the sources'
endpoints at this server, so that the production HTTP client and adapters run unchanged
against the services' own wire format: status codes, ETag and Last-Modified with 304,
NAV's bearer token and its `/api/publicToken` endpoint, and JSON-stat, register and feed
documents as the services send them. The payloads are in `fixtures/recorded/` (see its
README: several are synthetic, with invented values).

Tests add routes (`server.add(...)`) to stage failures: 429 with Retry-After, 5xx,
slow answers, malformed bodies.
"""

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recorded"
# The Last-Modified the recorded files are served with.
RECORDED_AT = "Wed, 23 Sep 2026 06:00:00 GMT"
JSON = "application/json; charset=utf-8"


@dataclass
class Seen:
    """A request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    # False: no Content-Length, the body ends when the connection closes.
    send_length: bool = True


def json_reply(data, status: int = 200) -> Reply:
    return Reply(status=status, body=json.dumps(data, ensure_ascii=False).encode())


def conditional(request: Seen, body: bytes, content_type: str = JSON) -> Reply:
    """200 with a strong ETag and Last-Modified, or 304 when the client has it already."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Last-Modified": RECORDED_AT}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match:
        if etag in [tag.strip() for tag in if_none_match.split(",")]:
            return Reply(status=304, headers=headers)
    elif request.headers.get("if-modified-since"):
        try:
            since = parsedate_to_datetime(request.headers["if-modified-since"])
            if since >= parsedate_to_datetime(RECORDED_AT):
                return Reply(status=304, headers=headers)
        except (TypeError, ValueError):
            pass
    return Reply(body=body, content_type=content_type, headers=headers)


Handler = Callable[[Seen, re.Match], Reply]


class RecordedServer:
    """A threaded HTTP server on a free loopback port. Use as a context manager."""

    def __init__(self):
        self.seen: list[Seen] = []
        self.nav_token = self._token_from_fixture()
        self._routes: list[tuple[str, re.Pattern, Handler]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._index()
        self._default_routes()

    # ---- lifecycle ----

    def start(self) -> "RecordedServer":
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, Nagle's algorithm
            # and delayed ACKs add some 40 ms to every keep-alive request.
            disable_nagle_algorithm = True

            def do_GET(self):
                server._handle(self, "GET")

            def do_POST(self):
                server._handle(self, "POST")

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict[str, str]:
        """The endpoint settings that point every source at this server."""
        return {
            "NAV_FEED_URL": f"{self.base_url}/nav",
            "NAV_FEED_TOKEN": "",
            "SSB_API_URL": f"{self.base_url}/ssb/api/pxwebapi/v2",
            "NSR_API_URL": f"{self.base_url}/nsr/v4",
            "NBR_API_URL": f"{self.base_url}/nbr/v4",
            "BRREG_API_URL": f"{self.base_url}/brreg/enhetsregisteret/api",
            "MET_SUNRISE_URL": f"{self.base_url}/met/weatherapi/sunrise/3.0",
            "ENTUR_JOURNEY_PLANNER_URL": f"{self.base_url}/entur/journey-planner/v3/graphql",
        }

    # ---- routing ----

    def add(self, pattern: str, handler: Handler, method: str = "GET") -> None:
        """Serve `pattern` (a regular expression on the path) with `handler`, before the
        recorded routes."""
        self._routes.insert(0, (method, re.compile(pattern), handler))

    def requests_to(self, pattern: str) -> list[Seen]:
        regex = re.compile(pattern)
        return [seen for seen in self.seen if regex.search(seen.path)]

    def _handle(self, http: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        request = Seen(
            method=method,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={key.lower(): value for key, value in http.headers.items()},
            body=http.rfile.read(length) if length else b"",
        )
        self.seen.append(request)
        reply = Reply(status=404, body=b'{"error": "not found"}')
        for route_method, pattern, handler in self._routes:
            match = pattern.fullmatch(parts.path)
            if match and route_method == method:
                reply = handler(request, match)
                break
        if reply is None:  # a handler that dropped the connection
            return
        http.send_response(reply.status)
        for name, value in reply.headers.items():
            http.send_header(name, value)
        if reply.status != 304:
            http.send_header("Content-Type", reply.content_type)
            if reply.send_length:
                http.send_header("Content-Length", str(len(reply.body)))
            else:
                http.send_header("Connection", "close")
                http.close_connection = True
        http.end_headers()
        if reply.status != 304:
            http.wfile.write(reply.body)

    # ---- the recorded services ----

    @staticmethod
    def _token_from_fixture() -> str:
        text = (FIXTURES / "nav" / "public_token.synthetic.txt").read_text()
        return re.search(r"\S+\.\S+\.\S+", text).group(0)

    def _index(self) -> None:
        def by(pattern: str, key: str) -> dict[str, Path]:
            found = {}
            for path in FIXTURES.glob(pattern):
                document = json.loads(path.read_bytes())
                if key in document:
                    found[str(document[key])] = path
            return found

        self.nav_pages = by("nav/*page*.json", "id")
        self.nav_entries = by("nav/*feedentry*.json", "uuid")
        self.nsr_units = by("udir/nsr_v4_enhet*.json", "Organisasjonsnummer")
        self.nbr_units = by("udir/nbr_v4_enhet_*.json", "Organisasjonsnummer")

    def _default_routes(self) -> None:
        self.add(r"/nav/api/publicToken", self._nav_token)
        self.add(r"/nav/api/v1/feed(?:/(?P<id>[\w-]+))?", self._nav_page)
        self.add(r"/nav/api/v1/feedentry/(?P<uuid>[\w-]+)", self._nav_entry)
        self.add(r"/ssb/api/pxwebapi/v2/tables/(?P<table>\d+)/data", self._ssb)
        for register, units in (("nsr", self.nsr_units), ("nbr", self.nbr_units)):
            self.add(
                rf"/{register}/v4/enheter/kommune/(?P<number>\d{{4}})", self._udir_list(register)
            )
            self.add(rf"/{register}/v4/enhet/(?P<orgnr>\d{{9}})", self._udir_unit(units))
        self.add(r"/brreg/enhetsregisteret/api/underenheter", self._brreg)
        self.add(r"/met/weatherapi/sunrise/3\.0/sun", self._met_sun)
        self.add(r"/entur/journey-planner/v3/graphql", self._entur_trip, method="POST")

    def _nav_token(self, request, match) -> Reply:
        text = (FIXTURES / "nav" / "public_token.synthetic.txt").read_text()
        text = re.sub(r"\S+\.\S+\.\S+", self.nav_token, text, count=1)
        return Reply(body=text.encode(), content_type="text/plain; charset=utf-8")

    def _nav_authorised(self, request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.nav_token}"

    def _nav_page(self, request, match) -> Reply:
        if not self._nav_authorised(request):
            return json_reply({"error": "unauthorized"}, 401)
        page_id = match.group("id") or "5d0a4c1e-0000-4000-8000-000000000000"
        path = self.nav_pages.get(page_id)
        if path is None:
            return json_reply({"error": "no such page"}, 404)
        return conditional(request, path.read_bytes())

    def _nav_entry(self, request, match) -> Reply:
        if not self._nav_authorised(request):
            return json_reply({"error": "unauthorized"}, 401)
        path = self.nav_entries.get(match.group("uuid"))
        if path is None:
            return json_reply({"error": "no such ad"}, 404)
        return conditional(request, path.read_bytes())

    def _ssb(self, request, match) -> Reply:
        if match.group("table") != "07459":
            return json_reply({"error": "no such table"}, 404)
        if request.query.get("outputFormat") != ["json-stat2"]:
            return json_reply({"error": "outputFormat must be json-stat2 here"}, 400)
        path = FIXTURES / "ssb" / "07459_jsonstat2.synthetic.json"
        return conditional(request, path.read_bytes())

    def _udir_list(self, register: str) -> Handler:
        def handler(request, match) -> Reply:
            name = f"{register}_v4_enheter_kommune_{match.group('number')}.synthetic.json"
            path = FIXTURES / "udir" / name
            if path.exists():
                return conditional(request, path.read_bytes())
            empty = {"Sidenummer": 1, "AntallSider": 0, "TotaltAntallEnheter": 0, "EnhetListe": []}
            return conditional(request, json.dumps(empty).encode())

        return handler

    def _udir_unit(self, units: dict[str, Path]) -> Handler:
        def handler(request, match) -> Reply:
            path = units.get(match.group("orgnr"))
            if path is None:
                return json_reply({"error": "not found"}, 404)
            return conditional(request, path.read_bytes())

        return handler

    def _brreg(self, request, match) -> Reply:
        number = (request.query.get("kommunenummer") or [""])[0]
        path = FIXTURES / "brreg" / f"underenheter_kommune_{number}.synthetic.json"
        page = int((request.query.get("page") or ["0"])[0])
        if path.exists() and page == 0:
            return conditional(request, path.read_bytes())
        empty = FIXTURES / "brreg" / "sok_underenheter_ingen_treff.json"
        return conditional(request, empty.read_bytes())

    def _met_sun(self, request, match) -> Reply:
        # MET refuses requests that do not say who is asking.
        agent = request.headers.get("user-agent", "")
        if not agent or agent.startswith(("python-requests", "Python-urllib", "curl")):
            return json_reply({"error": "Forbidden: identify yourself in User-Agent"}, 403)
        try:
            latitude = float(request.query["lat"][0])
            longitude = float(request.query["lon"][0])
            day = date.fromisoformat(request.query["date"][0])
            offset = _parse_offset(request.query.get("offset", ["+00:00"])[0])
        except (KeyError, ValueError):
            return json_reply({"error": "lat, lon and date (YYYY-MM-DD) are required"}, 400)
        body = json.dumps(sun_feature(latitude, longitude, day, offset)).encode()
        return conditional(request, body)

    def _entur_trip(self, request, match) -> Reply:
        try:
            variables = json.loads(request.body)["variables"]
            origin = variables["from"]["coordinates"]
            destination = variables["to"]["coordinates"]
            start = datetime.fromisoformat(variables["dateTime"])
        except (KeyError, TypeError, ValueError):
            return json_reply({"errors": [{"message": "Invalid query or variables"}]}, 400)
        patterns = sample_trips(
            (origin["latitude"], origin["longitude"]),
            (destination["latitude"], destination["longitude"]),
            start,
            variables.get("window", 1140),
        )
        return json_reply({"data": {"trip": {"tripPatterns": patterns}}})


def sample_trips(origin, destination, start: datetime, window_minutes: int) -> list[dict]:
    """Invented journeys in the shape of Entur's `tripPatterns`: a bus (a boat to or from an
    island west of 12.9° E) about every two hours, at 55 km/h as the crow flies plus a
    quarter of an hour. Not a timetable: sample data for the offline demo and the tests."""
    distance = _kilometres(origin, destination)
    by_boat = min(origin[1], destination[1]) < 12.9
    minutes = round(distance / 55 * 60) + 15 + (20 if by_boat else 0)
    every = 180 if by_boat else 120
    patterns = []
    for offset in range(60, window_minutes, every):
        leaves = start + timedelta(minutes=offset)
        arrives = leaves + timedelta(minutes=minutes)
        legs = [{"mode": "foot", "line": None}, {"mode": "bus", "line": {"publicCode": "18"}}]
        if by_boat:
            legs.append({"mode": "water", "line": {"publicCode": "18-740"}})
        legs.append({"mode": "foot", "line": None})
        patterns.append(
            {
                "aimedStartTime": leaves.isoformat(),
                "aimedEndTime": arrives.isoformat(),
                "duration": minutes * 60,
                "legs": legs,
            }
        )
    return patterns


def _kilometres(a, b) -> float:
    from math import asin, cos, radians, sin, sqrt

    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def _parse_offset(text: str) -> timezone:
    found = re.fullmatch(r"([+-])(\d\d):(\d\d)", text.replace(" ", "+"))
    if not found:
        raise ValueError(text)
    minutes = int(found.group(2)) * 60 + int(found.group(3))
    return timezone(timedelta(minutes=minutes if found.group(1) == "+" else -minutes))


def _minute(moment: datetime, zone: timezone) -> str:
    """MET's way of writing a time: to the minute, with the offset asked for."""
    local = (moment + timedelta(seconds=30)).astimezone(zone)
    return (
        local.strftime("%Y-%m-%dT%H:%M") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    )


# Sunrise and sunset: the sun's centre this far below the horizon (MET's definition).
HORIZON = -0.8333


def sun_feature(latitude: float, longitude: float, day: date, zone: timezone) -> dict:
    """What MET's `/sun` answers for a place and day, computed here with NOAA's solar
    equations (astral) instead of MET's own ephemeris: the same shape, times within a
    minute or two of MET's."""
    from astral import Observer
    from astral import sun as solar

    observer = Observer(latitude=latitude, longitude=longitude)
    noon = solar.noon(observer, day)
    start, end = noon - timedelta(hours=12), noon + timedelta(hours=12)

    def height(moment):
        return solar.elevation(observer, moment, with_refraction=False)

    def crossing_between(low, high):
        """When the sun's centre passes HORIZON between `low` (below) and `high` (above),
        to the second, by halving: the sun climbs steadily from midnight to noon."""
        for _step in range(17):  # 12 hours / 2**17 < 1 s
            middle = low + (high - low) / 2
            if height(middle) > HORIZON:
                high = middle
            else:
                low = middle
        return high

    noon_height = height(noon)
    rise = set_ = None
    if noon_height > HORIZON:
        if height(start) <= HORIZON:
            rise = crossing_between(start, noon)
        if height(end) <= HORIZON:
            set_ = crossing_between(end, noon)
    midnight = noon + timedelta(hours=12)

    def crossing(moment):
        if moment is None:  # the sun does not cross the horizon within the solar day
            return {"time": None, "azimuth": None}
        return {"time": _minute(moment, zone), "azimuth": round(solar.azimuth(observer, moment), 2)}

    def culmination(moment):
        elevation = solar.elevation(observer, moment, with_refraction=False)
        return {
            "time": _minute(moment, zone),
            "disc_centre_elevation": round(elevation, 2),
            "visible": elevation > HORIZON,
        }

    return {
        "copyright": "MET Norway",
        "licenseURL": "https://api.met.no/license_data.html",
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "when": {
            "interval": [
                start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ]
        },
        "properties": {
            "body": "Sun",
            "sunrise": crossing(rise),
            "sunset": crossing(set_),
            "solarnoon": culmination(noon),
            "solarmidnight": culmination(midnight),
        },
    }


def run_offline(names, **kwargs) -> list:
    """Run sources against the recorded payloads, served on 127.0.0.1 for the run; the
    data is marked as sample data (as `sync_sources --offline` does)."""
    from django.test.utils import override_settings

    from .pipeline import run_source

    with RecordedServer() as server, override_settings(**server.settings()):
        return [run_source(name, sample=True, **kwargs) for name in names]
