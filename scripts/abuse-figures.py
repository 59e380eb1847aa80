#!/usr/bin/env python3
"""Before/after figures of issue 10's attacks against a reference-server binary: each attack's answer, time and the
server's resident memory (from /proc/<pid>/statm). Loopback only; every loop is bounded.

Usage: python3 scripts/abuse-figures.py [BINARY]   (default: target/release/reference-server)
"""

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/reference-server"
AUTH = "Basic " + base64.b64encode(b"demo-access-key:demo-secret-key").decode()
QUOTAS = '[[rate_limits]]\napi = "greenhouse_onboarding"\nlimit = 1000000\n'


def start(descriptors=1024):
    with open("/tmp/abuse-figures.toml", "w") as f:
        f.write(QUOTAS)
    proc = subprocess.Popen(
        ["sh", "-c", f'ulimit -n {descriptors} && exec "$0" "$@"', BINARY,
         "--listen", "127.0.0.1:0", "--config", "/tmp/abuse-figures.toml"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if "listening on http://" in line:
            host, port = line.split("http://")[1].split()[0].rsplit(":", 1)
            return proc, (host, int(port))
    raise SystemExit("the server did not start")


def rss_mib(proc):
    with open(f"/proc/{proc.pid}/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def post(address, query, auth=None, timeout=60.0):
    body = json.dumps({"query": query}).encode()
    head = f"POST /greenhouse/graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
    if auth:
        head += f"Authorization: {auth}\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    started = time.monotonic()
    try:
        with socket.create_connection(address, timeout=timeout) as s:
            s.sendall(head.encode() + body)
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError as e:
        return f"no answer ({e})", time.monotonic() - started
    text = data.decode(errors="replace")
    status = text.split(" ", 2)[1] if text.startswith("HTTP/") else "?"
    body = text.split("\r\n\r\n", 1)[-1]
    return f"{status} {body[:110]}", time.monotonic() - started


def bomb():
    doc = "query { ...F0 }" + "".join(f" fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(22))
    return doc + " fragment F22 on Query { employee(id: 1) { id } }"


def figure(name, value):
    print(f"{name:<58} {value}")


def attack(name, run, descriptors=1024):
    """Runs one attack against a fresh server and prints its figures."""
    proc, address = start(descriptors)
    try:
        base = rss_mib(proc)
        for label, value in run(address):
            figure(f"{name} {label}", value)
        figure(f"{name} server RSS", f"{base:.0f} -> {rss_mib(proc):.0f} MiB")
    finally:
        proc.kill()
        proc.wait()


def fragment_bomb(address):
    answer, took = post(address, bomb())
    yield "(no credentials): time", f"{took:.2f} s"
    yield "answer", answer[:100]
    results = []
    threads = [threading.Thread(target=lambda: results.append(post(address, bomb()))) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    _, ordinary = post(address, "{ employee(id: 25) { email } }", AUTH)
    for t in threads:
        t.join()
    yield "an ordinary query beside two bombs: time", f"{ordinary:.2f} s"


def cache_filling(address):
    started = time.monotonic()
    for i in range(300):
        answer, _ = post(address, f"{{ employee(id: 1) {{ id }} }} # {i} " + "x" * 1_000_000)
    yield "300 distinct 1 MB anonymous documents: time", f"{time.monotonic() - started:.1f} s"
    yield "last answer", answer[:100]


def token_counting(address):
    answer, _ = post(address, "{ " + "__typename " * 1100 + "}", AUTH)
    yield "1,102 lexical tokens, spaces between them: answer", answer[:100]


def idle_clients(address):
    idle = []
    for _ in range(1100):
        try:
            idle.append(socket.create_connection(address, timeout=2))
        except OSError:
            break
    answer, took = post(address, "{ employee(id: 25) { email } }", AUTH, timeout=40)
    yield f"{len(idle)} idle sockets, descriptor limit 1,024: a client", f"{answer[:40]} after {took:.1f} s"
    for s in idle:
        s.close()


def introspection(address):
    query = open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "../reference-server/tests/it/introspection_query.graphql")).read()
    answer, _ = post(address, query, AUTH)
    yield "standard introspection query: answer", answer[:100]


attack("1. fragment bomb", fragment_bomb)
attack("2. cache filling", cache_filling)
attack("3. token counting", token_counting)
attack("4. idle clients", idle_clients)
attack("5. introspection", introspection)
