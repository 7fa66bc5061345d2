#!/usr/bin/env python3
"""Browser end-to-end test for mentorbot's web pages.

Starts mentorbot in terminal mode as Ana (with the HTTP server on a free port), writes three
reflections and asks for a sign-in link with /web, then drives headless Chromium through
chromedriver's W3C WebDriver HTTP API: sign in, list, search, edit, export, progress, sign out,
reuse of a used link, and a second member (Bo, a second process on the same database) who must
not see or reach Ana's entries. Screenshots go to target/browser-screenshots/.

Usage: python3 tests/browser/run.py [path-to-mentorbot-binary]   (default target/debug/mentorbot)
Standard library only; needs /usr/bin/chromium and /usr/bin/chromedriver.
"""
import base64
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.join(ROOT, "target", "browser-screenshots")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
CHROME_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--window-size=1280,1000"]
UNSET = ["DISCORD_TOKEN", "DISCORD_TOKEN_FILE", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
         "SLACK_SIGNING_SECRET", "MENTORBOT_COACH_URL", "MENTORBOT_PROMPTS", "MENTORBOT_HTTP_ADDR"]
EDITED = "Shared the product vision with sales and support"

FETCH = """const [url, done] = arguments;
fetch(url, {credentials: 'same-origin'}).then(r => r.text().then(text => {
  const out = {status: r.status, text};
  if (url.endsWith('.json')) {
    const data = JSON.parse(text), entries = Array.isArray(data) ? data : data.entries;
    out.count = entries.length;
    out.edited = entries.some(e => String(e.text).includes('with sales and support'));
  }
  done(out);
})).catch(e => done({error: String(e)}));"""


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    """Sends a JSON request; returns (status, parsed JSON or raw text)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")


class WebDriver:
    """The few W3C WebDriver commands this test needs; failures raise RuntimeError."""

    def __init__(self, base):
        self.base, self.sid = base, None

    def cmd(self, method, path, body=None):
        status, data = http(method, f"{self.base}/session/{self.sid}{path}", body)
        value = data.get("value") if isinstance(data, dict) else data
        if status >= 400 or (isinstance(value, dict) and "error" in value):
            raise RuntimeError(f"WebDriver {method} {path}: {value}")
        return value

    def start(self):
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium", "args": CHROME_ARGS}}}}
        status, data = http("POST", f"{self.base}/session", caps)
        check(status == 200, f"could not create a WebDriver session: {data}")
        self.sid = data["value"]["sessionId"]

    def quit(self):
        if self.sid:
            try:
                http("DELETE", f"{self.base}/session/{self.sid}", timeout=20)
            except OSError:
                pass
            self.sid = None

    def find_all(self, css):
        found = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [element[ELEMENT] for element in found]

    def find(self, css):
        found = self.find_all(css)
        return found[0] if found else None

    def click(self, eid):
        self.cmd("POST", f"/element/{eid}/click", {})

    def type(self, eid, text):
        self.cmd("POST", f"/element/{eid}/clear", {})
        self.cmd("POST", f"/element/{eid}/value", {"text": text})

    def text(self, eid):
        return self.cmd("GET", f"/element/{eid}/text")

    def attribute(self, eid, name):
        return self.cmd("GET", f"/element/{eid}/attribute/{name}")

    def url(self):
        return self.cmd("GET", "/url")

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def js(self, script):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": []})

    def js_async(self, script, *args):
        return self.cmd("POST", "/execute/async", {"script": script, "args": list(args)})

    def screenshot(self, name):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        with open(os.path.join(SHOTS, name), "wb") as file:
            file.write(png)


def wait_until(what, probe, timeout=10):
    """Polls probe() until it returns something truthy; WebDriver and network errors mean not yet.
    `what` (a string, or a function giving one) names what was awaited if time runs out."""
    deadline = time.time() + timeout
    while True:
        try:
            result = probe()
        except (RuntimeError, OSError):
            result = None
        if result:
            return result
        if time.time() > deadline:
            what = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def path(wd):
    return urllib.parse.urlsplit(wd.url()).path


def wait_path(wd, expected):
    wait_until(lambda: f"the URL path {expected} (still at {wd.url()})",
               lambda: path(wd) == expected)


def require(wd, css):
    return wait_until(lambda: f"{css} on {wd.url()}", lambda: wd.find(css))


def expect_count(wd, css, n):
    try:
        return wait_until(f"{n} x {css}", lambda: len(wd.find_all(css)) == n and wd.find_all(css))
    except AssertionError:
        found = len(wd.find_all(css))
        raise AssertionError(f"expected exactly {n} {css} on {wd.url()}, found {found}") from None


def page_text(wd):
    return wd.js("return document.body.innerText")


def start_bot(binary, tmp, name, env_extra):
    """Starts mentorbot in terminal mode as `name`; a thread feeds its stdout lines to a queue."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(env_extra)
    stderr = open(os.path.join(tmp, f"{name}.stderr.log"), "wb")
    proc = subprocess.Popen([binary, "--as", name], cwd=tmp, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=stderr)
    lines = queue.Queue()

    def pump():
        for raw in proc.stdout:
            lines.put(raw.decode(errors="replace").rstrip("\n"))
    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def send(proc, command):
    proc.stdin.write((command + "\n").encode())
    proc.stdin.flush()


def wait_for_line(lines, pattern, what, timeout=30):
    seen, deadline = [], time.time() + timeout
    while time.time() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            break
        seen.append(line)
        match = re.search(pattern, line)
        if match:
            return match.group(0)
    raise AssertionError(f"no {what} within {timeout} s; mentorbot printed:\n" + "\n".join(seen))


def wait_healthy(port, proc):
    def answers():
        check(proc.poll() is None, f"mentorbot exited early with code {proc.returncode}")
        return http("GET", f"http://127.0.0.1:{port}/healthz", timeout=2)
    wait_until(f"GET /healthz on port {port}", answers, timeout=30)


def start_chromedriver(tmp, procs):
    port = free_port()
    log = open(os.path.join(tmp, "chromedriver.log"), "wb")
    procs.append(subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"],
                                  stdout=log, stderr=subprocess.STDOUT))
    base = f"http://127.0.0.1:{port}"

    def ready():
        status = http("GET", f"{base}/status", timeout=2)[1]
        return isinstance(status, dict) and status.get("value", {}).get("ready")
    wait_until("chromedriver to be ready", ready, timeout=30)
    return base


def run(binary, tmp, procs, wd):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    link_re = rf"http://127\.0\.0\.1:{port}/signin/[A-Za-z0-9_-]+"
    shared = {"DATABASE_URL": os.path.join(tmp, "bot.db"), "MENTORBOT_PUBLIC_URL": base}

    # 1. Ana writes three reflections and asks for a link; chromedriver starts.
    ana_env = {**shared, "MENTORBOT_HTTP_ADDR": f"127.0.0.1:{port}"}
    ana, ana_lines = start_bot(binary, tmp, "Ana", ana_env)
    procs.append(ana)
    wait_healthy(port, ana)
    for command in ["/reflect leadership: Shared the product vision with the sales team",
                    "/reflect management: Sorted the sprint backlog with the team",
                    "/reflect leadership: Asked the team what could make the launch fail", "/web"]:
        send(ana, command)
    ana_link = wait_for_line(ana_lines, link_re, "sign-in link for Ana")
    wd.base = start_chromedriver(tmp, procs)
    wd.start()

    # 2. Sign in and see the log.
    wd.go(ana_link)
    button = require(wd, "#sign-in")
    wd.screenshot("signin.png")
    wd.click(button)
    wait_path(wd, "/log")
    expect_count(wd, ".entry", 3)
    wd.screenshot("log.png")

    # 3. Search.
    wd.type(require(wd, "#q"), "vision")
    wd.click(require(wd, "#search-button"))
    wait_until("the URL to contain q=vision", lambda: "q=vision" in wd.url())
    [entry] = expect_count(wd, ".entry", 1)
    found = wd.text(entry)
    check("vision" in found, f"the search result does not mention vision: {found!r}")
    wd.screenshot("search.png")

    # 4. Edit the entry found.
    element_id = wd.attribute(entry, "id") or ""
    match = re.fullmatch(r"entry-(\d+)", element_id)
    check(match, f"the entry's element id is {element_id!r}, not entry-<number>")
    ana_entry = match.group(1)
    wd.click(require(wd, f"#entry-{ana_entry} a.edit"))
    require(wd, "#edit")
    wd.type(require(wd, "#text"), EDITED)
    wd.click(require(wd, "#save"))
    wait_path(wd, "/log")
    check("with sales and support" in page_text(wd), "the log does not show the edited text")
    wd.screenshot("edit.png")

    # 5. Export as JSON and CSV from inside the signed-in page.
    exported = wd.js_async(FETCH, "/export/mentorbot-log.json")
    check(exported.get("status") == 200 and exported.get("count") == 3 and exported.get("edited"),
          f"the JSON export should hold 3 entries including the edit, got {exported}")
    exported = wd.js_async(FETCH, "/export/mentorbot-log.csv")
    check(exported.get("status") == 200 and "with sales and support" in exported.get("text", ""),
          f"the CSV export does not hold the edited text: {exported}")

    # 6. Progress.
    wd.click(require(wd, "#nav-progress"))
    for css in ["svg#balance-chart", "svg#activity-map", "#streak"]:
        require(wd, css)
    wd.screenshot("progress.png")

    # 7. Sign out; a used link must not sign in again.
    wd.go(f"{base}/log")
    wd.click(require(wd, "#sign-out"))
    wait_until("the page to leave the signed-in pages", lambda: wd.find("#sign-out") is None)
    wd.go(f"{base}/log")
    require(wd, "#signed-out")
    wd.screenshot("signed-out.png")
    wd.go(ana_link)
    again = wd.find("#sign-in")
    if again:
        wd.click(again)
        wait_until("the page to load", lambda: wd.js("return document.readyState") == "complete")
    check(not (path(wd) == "/log" and wd.find_all(".entry")), "a used sign-in link signed in again")
    wd.go(f"{base}/log")
    check(wd.find("#signed-out"), "after reusing a used link, /log does not show #signed-out")

    # 8. Bo sees only his own entry and cannot reach Ana's.
    bo, bo_lines = start_bot(binary, tmp, "Bo", shared)
    procs.append(bo)
    send(bo, "/reflect management: Bo's own planning notes")
    send(bo, "/web")
    bo_link = wait_for_line(bo_lines, link_re, "sign-in link for Bo")
    wd.cmd("DELETE", "/cookie")  # delete all cookies
    wd.go(bo_link)
    wd.click(require(wd, "#sign-in"))
    wait_path(wd, "/log")
    expect_count(wd, ".entry", 1)
    check("vision" not in page_text(wd), "Bo's log shows Ana's entry")
    wd.go(f"{base}/entries/{ana_entry}/edit")
    require(wd, "#not-found")
    check("vision" not in page_text(wd), "Bo's edit page for Ana's entry shows its text")
    wd.screenshot("not-yours.png")
    wd.go(f"{base}/entries/{ana_entry}/delete")
    require(wd, "#not-found")


def stop(proc):
    try:
        if proc.stdin:
            proc.stdin.close()
    except OSError:
        pass
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                             else os.path.join(ROOT, "target", "debug", "mentorbot"))
    if not os.access(binary, os.X_OK):
        print(f"browser test: no mentorbot binary at {binary} (build it first)", file=sys.stderr)
        return 1
    os.makedirs(SHOTS, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="mentorbot-browser-")
    procs, wd, ok = [], WebDriver(None), False
    try:
        run(binary, tmp, procs, wd)
        ok = True
    except Exception as error:  # any failure: report it, then show the logs
        print(f"browser test: FAILED: {error}", file=sys.stderr)
    finally:
        wd.quit()
        for proc in procs:
            stop(proc)
        if not ok:
            for name in sorted(os.listdir(tmp)):
                if name.endswith(".log"):
                    with open(os.path.join(tmp, name), errors="replace") as file:
                        print(f"--- {name} ---\n{file.read()[-8000:]}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    if ok:
        print("browser test: ok")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
