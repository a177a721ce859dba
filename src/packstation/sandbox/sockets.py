"""The sandbox's listening socket and URL, shared by its server and the station's child process.

Standard library only: the station imports this before anything heavy.
"""

from __future__ import annotations

import socket


def bind_listening(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0 = a free one), inheritable by a child."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP; with proto 0, Nagle + delayed ACKs add ~40 ms to every answer.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def loopback_url(host: str, port: int) -> str:
    """The sandbox's base URL on host:port (IPv6 addresses in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
