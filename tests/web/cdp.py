"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

Why a pipe: it needs no websocket library and no chromedriver, only the
Debian ``chromium`` package. Chromium reads commands on fd 3 and writes
replies/events on fd 4, each a JSON object terminated by a NUL byte. The test
starts chromium through bash (dash cannot redirect fds above 9) so the two pipe
ends land on fds 3 and 4.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CdpError(RuntimeError):
    pass


class Browser:
    """One headless chromium with one page (a flattened CDP session)."""

    def __init__(self, executable: str, profile_dir: Path, log_path: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        flags = " ".join(CHROMIUM_FLAGS)
        command = (
            f'exec "{executable}" {flags} --user-data-dir="{profile_dir}" about:blank '
            f"3<&{to_chrome_r} 4>&{from_chrome_w}"
        )
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", command],
            pass_fds=(to_chrome_r, from_chrome_w),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.page("Page.enable")
        self.page("Runtime.enable")

    # -- protocol ---------------------------------------------------------------

    def _read_message(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CdpError("timed out waiting for chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise CdpError("chromium closed the pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message(timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CdpError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def page(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.send(method, params, session=self.session)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == self.session:
                    return self._events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise CdpError(f"no {method} event")
            event = self._read_message(left)
            if "method" in event:
                self._events.append(event)

    # -- conveniences -----------------------------------------------------------

    def navigate(self, url: str) -> None:
        self._events.clear()
        self.page("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.page(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise CdpError(f"script error: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def click_and_wait(self, selector: str) -> None:
        """Click an element that navigates, then wait for the new page to load."""
        self._events.clear()
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_event("Page.loadEventFired")

    def press_key(self, key: str, code: str, key_code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.page(
                "Input.dispatchKeyEvent",
                {
                    "type": kind,
                    "key": key,
                    "code": code,
                    "windowsVirtualKeyCode": key_code,
                    "text": "\r" if key == "Enter" and kind == "keyDown" else "",
                },
            )

    def type_text(self, text: str) -> None:
        self.page("Input.insertText", {"text": text})

    def screenshot(self, path: Path, width: int = 1100) -> None:
        height = int(self.evaluate("document.documentElement.scrollHeight") or 900)
        height = max(600, min(height, 2200))
        self.page(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(CdpError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._log.close()
