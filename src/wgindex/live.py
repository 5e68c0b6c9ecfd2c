"""``wgindex serve --watch``: serve a site, rebuild it when its sources change, reload open pages.

The sources and sidecars are watched with ``watchfiles`` (the OS's file notifications); a
change rebuilds incrementally through ``api.build`` (the parse cache and the render memo make
that cheap), and every open page hears of it over server-sent events
(``/__wgindex/events``): it reloads, keeping its scroll position and anchor.  A document that
does not parse is reported in the terminal and in an overlay on the open pages; the rest of the
site is built as usual, and a build that fails altogether leaves the last good site served.
The reload script is added to pages as they are served; the built files are never changed.
"""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import watchfiles

from . import api
from .cache import BuildStamps
from .text.read import is_source

EVENTS = "/__wgindex/events"
SCRIPT = "/__wgindex/live.js"
TAG = f'<script src="{SCRIPT}"></script>'.encode()

LIVE_JS = r"""// wgindex serve --watch: reload on rebuild, show build errors. Served only while watching.
(function () {
  var key = "wgindex-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, +saved); }
  var seen = null;
  function overlay(errors) {
    var box = document.getElementById("wgindex-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "wgindex-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;" +
        "background:#fff4f4;color:#5f1212;border-top:3px solid #b3261e;padding:.75rem 1rem;" +
        "font:14px/1.5 ui-monospace,monospace;z-index:99999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "wgindex build: " + errors.length + " error(s)\n" + errors.join("\n");
  }
  var es = new EventSource("/__wgindex/events");
  es.addEventListener("build", function (ev) {
    var state = JSON.parse(ev.data);
    if (seen !== null && state.generation !== seen && state.published) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
      return;
    }
    seen = state.generation;
    overlay(state.errors);
  });
})();
"""


class LiveSite:
    """A site kept in step with its sources; ``state`` says what the last build did."""

    def __init__(self, site: Path, sources: list[Path], *, base_url: str = "", strict: bool = False,
                 cache_dir: Path = Path(".wgindex-cache"), log=print):
        self.site, self.sources = Path(site), [Path(s) for s in sources]
        self.options = {"base_url": base_url, "strict": strict, "cache_dir": cache_dir}
        self.log = log
        self.changed = threading.Condition()
        self.state = {"generation": 0, "errors": [], "published": True}

    def rebuild(self) -> dict:
        try:
            report = api.build(self.sources, self.site, **self.options)
            errors = list(report.errors) + (list(report.warnings) if report.status == "strict_failed" else [])
            published = report.status in ("built", "up_to_date")
            lines = errors + [report.summary]
        except Exception as exc:  # noqa: BLE001 - the watcher must outlive any one build
            errors, published, lines = [f"wgindex: error: {exc}"], False, [f"wgindex: error: {exc} "
                                                                            f"(the last good site stays served)"]
        for line in lines:
            self.log(line)
        with self.changed:
            self.state = {"generation": self.state["generation"] + 1, "errors": errors, "published": published}
            self.changed.notify_all()
        return self.state

    def wait(self, generation: int, timeout: float) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.state["generation"] != generation, timeout)
            return dict(self.state)

    def watch(self, stop: threading.Event) -> None:
        def relevant(change, path: str) -> bool:
            p = Path(path)
            return is_source(p) or p.name.endswith(".meta.yaml")
        for _changes in watchfiles.watch(*self.sources, watch_filter=relevant, stop_event=stop,
                                         raise_interrupt=False):
            self.rebuild()


def handler(site: Path, live: LiveSite | None):
    """The request handler: the site's files, plus (when watching) the reload channel."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the terminal shows builds, not requests
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if live is not None and path == EVENTS:
                return self._events()
            if live is not None and path == SCRIPT:
                return self._send(LIVE_JS.encode(), "text/javascript; charset=utf-8")
            if live is not None:
                file = Path(self.translate_path(path))
                if file.is_dir() and path.endswith("/"):
                    file = file / "index.html"
                if file.suffix == ".html" and file.is_file():
                    html = file.read_bytes()
                    at = html.rfind(b"</body>")
                    html = html[:at] + TAG + html[at:] if at >= 0 else html + TAG
                    return self._send(html, "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = dict(live.state)
            try:
                while True:
                    self.wfile.write(f"event: build\ndata: {json.dumps(state, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                    while True:
                        new = live.wait(state["generation"], 15)
                        if new["generation"] != state["generation"]:
                            state = new
                            break
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return

    return Handler


def serve(site: Path, port: int, live: LiveSite | None, log=print) -> None:
    """Serve ``site`` on 127.0.0.1 until interrupted; watch its sources when ``live``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(site, live))
    httpd.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=live.watch, args=(stop,), daemon=True) if live else None
    with httpd:
        where = f"http://127.0.0.1:{httpd.server_address[1]}/"
        if live:
            log(f"serving {site}/ at {where}, watching {' '.join(map(str, live.sources))} "
                f"(rebuilds and reloads open pages on change; Ctrl-C to stop)")
            watcher.start()
        else:
            log(f"serving {site}/ at {where} (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()


def last_build(site: Path, cache_dir: Path) -> dict | None:
    """How ``site`` was last built (sources, base URL, strictness, cache), if wgindex built it
    from sources that still exist."""
    options = BuildStamps(Path(cache_dir)).options(site)
    if not options or not options.get("sources") or not all(Path(s).exists() for s in options["sources"]):
        return None
    return options
