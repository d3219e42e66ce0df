"""Test-only network plumbing: a throwaway CA with server and client certificates, and a TCP proxy that
can terminate TLS and simulate a broker outage.

The embedded Tansu 0.6.0 cannot serve TLS itself (its `--cert` and `--key` flags exclude each other,
and `--cert` alone leaves the listener in plain TCP), so tests put the proxy in front of a broker that
advertises the proxy's address: every client byte then crosses a real, verified (m)TLS connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pki:
    """PEM files of a test CA, a server certificate for 127.0.0.1 and a client certificate."""

    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    client_key_password: str


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_pki(folder: Path) -> Pki:
    """Generate a CA and sign a server (SAN 127.0.0.1, localhost) and a client certificate with it."""
    folder.mkdir(parents=True, exist_ok=True)
    days = ("-days", "2")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
             *days, "-subj", "/CN=newswire-test-ca", cwd=folder)  # fmt: skip
    (folder / "server.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    (folder / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    password = "client-key-pass"
    for name, key_args in (("server", ["-nodes"]), ("client", ["-passout", f"pass:{password}"])):
        _openssl("req", "-newkey", "rsa:2048", *key_args, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                 "-subj", f"/CN=newswire-{name}", cwd=folder)  # fmt: skip
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", f"{name}.crt", *days, "-extfile", f"{name}.ext", cwd=folder)  # fmt: skip
    return Pki(
        ca_cert=folder / "ca.crt",
        server_cert=folder / "server.crt",
        server_key=folder / "server.key",
        client_cert=folder / "client.crt",
        client_key=folder / "client.key",
        client_key_password=password,
    )


def server_context(pki: Pki) -> ssl.SSLContext:
    """A TLS server context with the test certificate that requires a client certificate from the CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.ca_cert))
    context.load_cert_chain(str(pki.server_cert), str(pki.server_key))
    context.verify_mode = ssl.CERT_REQUIRED
    return context


LOOPBACK = "127.0.0.1"


class TcpProxy:
    """Forward `listen_port` to plain TCP `upstream_port`, terminating TLS when given a server context.

    `outage()` cuts every connection and refuses new ones until `restore()`: a broker that went away,
    without losing the in-memory broker's data.
    """

    def __init__(
        self, listen_port: int, upstream_port: int, *, tls: ssl.SSLContext | None = None, host: str = LOOPBACK
    ) -> None:
        self.host = host
        self.listen_port = listen_port
        self.upstream_port = upstream_port
        self.tls = tls
        self.accepted = 0
        self.down = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="test-proxy", daemon=True)
        self._server: asyncio.Server | None = None

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        start = asyncio.start_server(self._serve, self.host, self.listen_port, ssl=self.tls)
        self._server = asyncio.run_coroutine_threadsafe(start, self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks() - {asyncio.current_task()}:
                task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def outage(self) -> None:
        """Drop every open connection and refuse new ones."""

        async def cut() -> None:
            self.down = True
            for writer in list(self._writers):
                writer.transport.abort()

        asyncio.run_coroutine_threadsafe(cut(), self._loop).result(10)

    def restore(self) -> None:
        self.down = False

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # with TLS, asyncio calls us only after the handshake verified the client certificate
        if self.down:
            writer.transport.abort()
            return
        self.accepted += 1
        up_reader, up_writer = await asyncio.open_connection(self.host, self.upstream_port)
        self._writers.update((writer, up_writer))
        try:
            await asyncio.gather(_pump(reader, up_writer), _pump(up_reader, writer), return_exceptions=True)
        finally:
            self._writers.difference_update((writer, up_writer))


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        with contextlib.suppress(Exception):
            writer.close()
