"""Real services that tests (and bench/faults.py) start, break and mend themselves: databases
of their own on the shared PostgreSQL, gunicorn with production settings, a Redis server of
their own and a TCP proxy in front of PostgreSQL. The shared servers are never stopped."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout=10.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def production_env(tmp_path, **overrides):
    """The environment of the project's own commands run as in production, in tmp_path."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def manage(env, *commands):
    """Run manage.py commands, each a list of arguments, in that environment."""
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=180,
            stdout=subprocess.DEVNULL,
        )


@contextlib.contextmanager
def postgres_database(purpose):
    """A database of its own on the shared PostgreSQL server, dropped afterwards: its URL."""
    name = f"{purpose}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def gunicorn(env, *, workers=2, attempts=3):
    """The site served as the production image serves it (docker/entrypoint.sh): its port.

    The two suites of `make test` pick free ports side by side, so one may take a port the other
    just picked: a server that exits at once is started again on another port."""
    with tempfile.TemporaryFile() as log:
        for _attempt in range(attempts):
            port, process = start_gunicorn(env, workers, log)
            if started(port, process):
                break
            process.kill()
            process.wait(timeout=30)
        else:
            log.seek(0)
            raise RuntimeError(
                f"gunicorn did not start: {log.read()[-2000:].decode(errors='replace')}"
            )
        try:
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def start_gunicorn(env, workers, log):
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / "docker" / "entrypoint.sh"), "serve"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    return port, process


def started(port, process):
    """Whether the server answers on its port before it exits or a minute passes."""
    wait_until(lambda: answers(port) or process.poll() is not None, timeout=60)
    return process.poll() is None and answers(port)


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class RedisServer:
    """redis-server on a free port; `persistent` keeps its data on disk across a restart."""

    def __init__(self, directory, persistent=False):
        self.directory = directory
        self.persistent = persistent
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else []
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.port)]
            + ["--bind", "127.0.0.1", "--save", "", "--dir", str(self.directory)]
            + (persistence or ["--appendonly", "no"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(lambda: answers(self.port)), "redis-server did not start"
        return self

    def kill(self):
        """SIGKILL: gone at once, connections refused."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def freeze(self):
        """SIGSTOP: connections accepted by the kernel, never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to an upstream address; can freeze (keep connections open and
    forward nothing, as a frozen server or a silent network partition does) or cut (drop every
    connection and refuse new ones, as a server that is down does)."""

    def __init__(self, upstream_port, upstream_host="127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.flowing = threading.Event()
        self.flowing.set()
        self.sockets = []
        self.listener = None
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self

    def freeze(self):
        self.flowing.clear()

    def thaw(self):
        self.flowing.set()

    def cut(self):
        with self.lock:
            self._close(self.listener)  # shutdown() first: close() alone leaves accept() waiting
            for sock in self.sockets:
                self._close(sock)
            self.sockets.clear()

    def restore(self):
        self.thaw()
        self.start()

    def stop(self):
        self.thaw()
        self.cut()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                self._close(client)
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        while True:
            self.flowing.wait()
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            self.flowing.wait()  # frozen after reading: hold the bytes, as a stuck server would
            try:
                target.sendall(data)
            except OSError:
                break
        self._close(source)
        self._close(target)

    @staticmethod
    def _close(sock):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


@contextlib.contextmanager
def postgres_copy(url, purpose):
    """A copy of a database on the shared PostgreSQL server that nobody is connected to,
    dropped afterwards as a postgres_database is: its URL. CREATE DATABASE … TEMPLATE copies
    files, which is quicker than migrating a new database."""
    with postgres_database(purpose) as copy:
        name = copy.rsplit("/", 1)[1]
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}"')  # made again from the template, same name
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{url.rsplit("/", 1)[1]}"')
        yield copy


class SmtpServer:
    """A mail server on a free port that keeps what it accepts (`accepted`: (recipients,
    message bytes)). `hold_at=N` keeps the N-th message waiting, unanswered after its DATA, as
    a slow server does, until `release` is set: a client killed meanwhile never got "250", so
    that message is not accepted."""

    def __init__(self, hold_at=None):
        self.accepted = []
        self.received = 0
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.server = None

    def start(self):
        import socketserver

        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                outer.converse(self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def port(self):
        return self.server.server_address[1]

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def converse(self, rfile, wfile):
        def reply(text):
            wfile.write(f"{text}\r\n".encode())
            wfile.flush()

        reply("220 localhost test SMTP")
        recipients = []
        while line := rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                reply("250 localhost")
            elif verb in {"MAIL", "RSET"}:
                recipients = []
                reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                reply("250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := rfile.readline()) not in {b".\r\n", b""}:
                    data.append(chunk)
                if not chunk or self.held():
                    return  # the client went away before "250": nothing accepted
                with self.lock:
                    self.accepted.append((recipients, b"".join(data)))
                reply("250 OK queued")
            elif verb == "QUIT":
                reply("221 Bye")
                return
            else:
                reply("502 Not implemented")

    def held(self):
        with self.lock:
            self.received += 1
            holding = self.received == self.hold_at
        if holding:
            self.holding.set()
            self.release.wait(60)
        return holding
