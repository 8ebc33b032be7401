"""Headless Chromium: print an HTML report to PDF, and check how a page behaves in a real browser.

* :func:`find_chromium` and :func:`to_pdf` (Chromium's own print engine, CJK via fontconfig);
* :func:`page_check` opens a page at phone size through the Chrome DevTools protocol and
  reports console errors, failed requests, broken images and horizontal overflow.  It needs
  the ``websocket-client`` package (a development dependency).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval.errors import LaoyouError

#: Flags that keep a headless run quiet, offline and free of the user's profile.
HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-default-apps", "--disable-extensions", "--mute-audio")
NO_CHROMIUM = ("提示：未安装 Chromium，跳过 PDF。Hint: Chromium is not installed, no PDF "
               "(Debian: apt-get install chromium; or print report.html from any browser).")


def find_chromium() -> str | None:
    """A Chromium/Chrome executable on this machine, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        if found := shutil.which(name):
            return found
    return None


def to_pdf(html_path, pdf_path) -> Path | None:
    """Print an HTML file to PDF (A4, no browser header/footer) with headless Chromium.

    Returns
    -------
    pathlib.Path or None
        The PDF, or None (and a bilingual message) when Chromium is not installed.
    """
    chromium = find_chromium()
    if chromium is None:
        print(NO_CHROMIUM)
        return None
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = pdf_path.with_suffix(".part.pdf")
    with tempfile.TemporaryDirectory(prefix="laoyou-chromium-") as profile:
        command = [chromium, *HEADLESS_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={tmp}", Path(html_path).resolve().as_uri()]
        try:
            done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180)
            if done.returncode != 0 or not tmp.is_file():
                raise LaoyouError("Chromium 没能把报告打印成 PDF。", "Chromium could not print the report to PDF.",
                                  file=html_path, hint_zh=f"Chromium 输出：{done.stderr[-300:]}",
                                  hint_en="see Chromium's output above; or print the HTML from any browser.")
            tmp.replace(pdf_path)
        finally:
            tmp.unlink(missing_ok=True)
    return pdf_path


@dataclass
class PageCheck:
    """What a real browser saw when it opened a page (:func:`page_check`).

    ``viewport_width`` is the emulated screen width; ``layout_width`` the width the page was
    laid out at (a phone browser widens it when content does not fit) and ``scroll_width`` the
    page's full width.  Both must stay within the screen.
    """

    viewport_width: int
    layout_width: int
    scroll_width: int
    images: int
    broken_images: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything wrong, one line each (empty when the page is fine)."""
        out = [f"console: {m}" for m in self.console_errors]
        out += [f"failed request: {u}" for u in self.failed_requests]
        out += [f"broken image: {src}" for src in self.broken_images]
        widest = max(self.scroll_width, self.layout_width)
        if widest > self.viewport_width:  # mobile browsers widen the layout to fit, then zoom out
            out.append(f"horizontal overflow: page is {widest} px wide on a {self.viewport_width} px screen")
        return out


PAGE_PROBE = """JSON.stringify({
  viewport: window.innerWidth,
  scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  images: document.images.length,
  broken: Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)
               .map(i => (i.getAttribute('src') || '').slice(0, 60))
})"""


def page_check(html_path, width: int = 375, height: int = 800, timeout: float = 60.0) -> PageCheck:
    """Open ``html_path`` in headless Chromium emulating a phone and report what went wrong.

    The page is loaded with mobile emulation (``width`` × ``height`` CSS pixels, the page's
    viewport meta honoured) through the Chrome DevTools protocol; console errors, uncaught
    exceptions, failed or non-``data:``/``file:`` requests, images that did not decode and
    the page's scroll width are collected.

    Raises
    ------
    LaoyouError
        When Chromium or the ``websocket-client`` package is missing, or the page does not load
        within ``timeout`` seconds.
    """
    try:
        import websocket
    except ImportError:
        raise LaoyouError("检查网页需要 websocket-client 包。", "Checking a page needs the websocket-client package.",
                          hint_zh="pip install websocket-client", hint_en="pip install websocket-client") from None
    chromium = find_chromium()
    if chromium is None:
        raise LaoyouError("没有找到 Chromium。", "Chromium was not found.", hint_zh="apt-get install chromium",
                          hint_en="apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="laoyou-chromium-") as profile:
        browser = subprocess.Popen([chromium, *HEADLESS_FLAGS, f"--user-data-dir={profile}",
                                    "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = _devtools_port(Path(profile), browser, time.monotonic() + timeout)
            target = _page_target(port, time.monotonic() + timeout)
            socket = websocket.create_connection(target, timeout=timeout, suppress_origin=True)
            try:
                return _inspect(socket, Path(html_path).resolve().as_uri(), width, height, timeout)
            finally:
                socket.close()
        finally:
            browser.terminate()
            try:
                browser.wait(timeout=10)
            except subprocess.TimeoutExpired:
                browser.kill()
                browser.wait()


def _devtools_port(profile: Path, browser, deadline: float) -> int:
    """The DevTools port Chromium chose (it writes it to DevToolsActivePort in the profile)."""
    marker = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if marker.is_file() and (lines := marker.read_text().split()):
            return int(lines[0])
        if browser.poll() is not None:
            break
        time.sleep(0.1)
    raise LaoyouError("Chromium 没有启动调试端口。", "Chromium did not open its DevTools port.")


def _page_target(port: int, deadline: float) -> str:
    from urllib.request import urlopen

    while time.monotonic() < deadline:
        with urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
            pages = [t for t in json.load(answer) if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise LaoyouError("Chromium 没有打开页面。", "Chromium opened no page.")


def _inspect(socket, url: str, width: int, height: int, timeout: float) -> PageCheck:
    counter = iter(range(1, 1_000_000))
    errors, failed, requests = [], [], []

    def send(method, **params):
        ident = next(counter)
        socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        return ident

    def handle(message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            errors.append(params.get("exceptionDetails", {}).get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            requests.append(params.get("request", {}).get("url", "")[:120])
        elif method == "Network.loadingFailed":
            failed.append(f"{params.get('errorText', '')} {params.get('requestId', '')}")

    def call(method, deadline, **params):
        ident = send(method, **params)
        while time.monotonic() < deadline:
            message = json.loads(socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise LaoyouError(f"Chromium 调用 {method} 失败。", f"Chromium call {method} failed: {message['error']}")
                return message.get("result", {})
            handle(message)
        raise LaoyouError("Chromium 没有及时响应。", f"Chromium did not answer {method} in time.")

    deadline = time.monotonic() + timeout
    for domain in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
        call(domain, deadline)
    call("Emulation.setDeviceMetricsOverride", deadline, width=width, height=height, deviceScaleFactor=2, mobile=True)
    send("Page.navigate", url=url)
    while time.monotonic() < deadline:
        message = json.loads(socket.recv())
        handle(message)
        if message.get("method") == "Page.loadEventFired":
            break
    else:
        raise LaoyouError("页面没有在限定时间内加载完。", "The page did not finish loading in time.", file=url)
    probe = json.loads(call("Runtime.evaluate", deadline, expression=PAGE_PROBE, returnByValue=True)
                       ["result"]["value"])
    outside = [u for u in requests if not u.startswith(("data:", "file:", "about:"))]
    return PageCheck(viewport_width=width, layout_width=probe["viewport"], scroll_width=probe["scroll"], images=probe["images"],
                     broken_images=probe["broken"], console_errors=errors,
                     failed_requests=failed + [f"external: {u}" for u in outside], requests=requests)
