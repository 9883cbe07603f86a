#!/usr/bin/env python3
"""Exec to ready, as systemd sees it, against a minimal Native AOT ASP.NET Core app's exec to first answer.

Each round, interleaved so that all three see the same machine noise:
  empty   the daemon on an empty state directory: exec -> READY=1 on NOTIFY_SOCKET (a datagram socket of this
          script, as systemd's); it then provisions from the back office (STATUS=provisioned...) and is stopped
  stored  the daemon again on the state it just wrote: exec -> READY=1 (no back-office call before READY=1)
  slim    minimal-slim: exec -> the first answer to GET / (connect and ask every 0.5 ms)
Usage: startup.py ROUNDS DAEMON SLIM WORK -- DAEMON-ARGS...   (environment: the daemon's, e.g. the unit's)
Prints one line per round and the medians, and the ratios of the daemon's medians to slim's.
"""
import os, signal, socket, statistics, subprocess, sys, time

rounds, daemon, slim, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
daemon_args = sys.argv[sys.argv.index("--") + 1:]
state = os.path.join(work, "startup-state")
notify_path = os.path.join(work, "notify.sock")


def notify_socket():
    if os.path.exists(notify_path):
        os.unlink(notify_path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(notify_path)
    return s


def run_daemon(wait_provisioned):
    """Exec -> READY=1 in ms; waits for STATUS=provisioned first when asked; stops the daemon with SIGTERM."""
    sock = notify_socket()
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    log_path = os.path.join(work, "startup-daemon.log")
    start = time.perf_counter_ns()
    with open(log_path, "w") as log:
        proc = subprocess.Popen([daemon, *daemon_args], env=env, stdout=log, stderr=subprocess.STDOUT)
    ready = None
    provisioned = False  # STATUS=provisioned may come before READY=1: a run can end before the listeners are bound
    sock.settimeout(30)
    try:
        while True:
            try:
                message = sock.recv(4096).decode()
            except TimeoutError:
                proc.send_signal(signal.SIGTERM)
                try:
                    code = proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    code = "hung, killed"
                with open(log_path) as log:
                    tail = "".join(log.readlines()[-20:])
                sys.exit(f"no {'READY=1' if ready is None else 'STATUS=provisioned'} within 30 s (daemon exit: {code}); its output:\n{tail}")
            fields = message.split("\n")
            provisioned |= any(f.startswith("STATUS=provisioned") for f in fields)
            if ready is None and "READY=1" in fields:
                ready = (time.perf_counter_ns() - start) / 1e6
            if ready is not None and (provisioned or not wait_provisioned):
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        sock.close()
    if code != 0:
        sys.exit(f"daemon exited {code}")
    return ready


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_slim():
    port = free_port()
    start = time.perf_counter_ns()
    proc = subprocess.Popen([slim, "--urls", f"http://127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
                    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if c.recv(64).startswith(b"HTTP/1.1 200"):
                        return (time.perf_counter_ns() - start) / 1e6
            except (ConnectionRefusedError, ConnectionResetError):
                time.sleep(0.0005)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


results = {"empty": [], "stored": [], "slim": []}
for i in range(rounds):
    subprocess.run(["rm", "-rf", state], check=True)
    results["empty"].append(run_daemon(wait_provisioned=True))
    results["stored"].append(run_daemon(wait_provisioned=False))
    results["slim"].append(run_slim())
    print(f"round {i + 1}: empty {results['empty'][-1]:.1f} ms, stored {results['stored'][-1]:.1f} ms, slim {results['slim'][-1]:.1f} ms", flush=True)

m = {k: statistics.median(v) for k, v in results.items()}
print(f"median exec->READY=1, empty state: {m['empty']:.1f} ms ({m['empty'] / m['slim']:.2f}x slim)")
print(f"median exec->READY=1, stored state: {m['stored']:.1f} ms ({m['stored'] / m['slim']:.2f}x slim)")
print(f"median exec->first answer, minimal slim app: {m['slim']:.1f} ms")
