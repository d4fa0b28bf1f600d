#!/usr/bin/env python3
"""Screenshot pages of a running Odoo as a given user, with headless Chromium.

    python3 tools/suite.py tool python tools/screenshot.py --login admin --password admin \
        --url http://localhost:8069/odoo/action-mto_production.action_mto_production_queue \
        --out docs/queue.png [--width 1280 --height 800]

Used to make the screenshots in the modules' READMEs. Needs websocket-client and requests
(in the suite's virtualenv) and Debian's chromium.
"""

import argparse
import base64
import json
import subprocess
import tempfile
import time
from urllib.parse import urlparse

import requests
import websocket


def session_cookie(base, login, password, db):
    session = requests.Session()
    response = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=30,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise SystemExit(f"login failed: {response.json()['error']['data']['message']}")
    return session.cookies["session_id"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, action="append")
    parser.add_argument("--out", required=True, action="append")
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--db", default="furniture")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--wait", type=float, default=4.0)
    args = parser.parse_args()
    parsed = urlparse(args.url[0])
    base = f"{parsed.scheme}://{parsed.netloc}"
    cookie = session_cookie(base, args.login, args.password, args.db)
    port = 9333
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={port}",
                f"--window-size={args.width},{args.height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                    page = next(t for t in targets if t["type"] == "page")
                    break
                except (requests.ConnectionError, StopIteration):
                    time.sleep(0.2)
            ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
            ids = iter(range(1, 10**6))

            def send(method, **params):
                msg_id = next(ids)
                ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
                while True:
                    message = json.loads(ws.recv())
                    if message.get("id") == msg_id:
                        return message.get("result", {})

            send("Network.enable")
            send(
                "Network.setCookie",
                name="session_id",
                value=cookie,
                domain=parsed.hostname,
                path="/",
            )
            send(
                "Emulation.setDeviceMetricsOverride",
                width=args.width,
                height=args.height,
                deviceScaleFactor=1,
                mobile=False,
            )
            for url, out in zip(args.url, args.out, strict=True):
                send("Page.navigate", url=url)
                time.sleep(args.wait)
                shot = send("Page.captureScreenshot", format="png")
                with open(out, "wb") as handle:
                    handle.write(base64.b64decode(shot["data"]))
                print(f"wrote {out}")
        finally:
            browser.terminate()
            browser.wait(10)


if __name__ == "__main__":
    main()
