#!/usr/bin/env python3
"""forking_tcp_server.py - the Python standard library's forking echo server.

Style: socketserver.ForkingTCPServer with a BaseRequestHandler, as the
library documentation shows it (Python 3.11, also Debian's /usr/bin/python3).

    python3 forking_tcp_server.py --port=N

What makes it correct, all from ForkingMixIn's defaults:
  - one child per connection (os.fork() in process_request); the parent
    closes its copy of the connection at once (close_request);
  - no SIGCHLD handler: serve_forever() wakes at least every poll_interval
    (0.5 s) and calls service_actions() -> collect_children(), which reaps
    every finished child with waitpid(pid, WNOHANG), also while idle - so
    zombies live up to ~0.5 s, within the 1 s reap grace;
  - max_children = 40: after a fork that brings it to 40 live children, it
    blocks in waitpid(-1, 0) until one ends, so further clients queue.
    It is therefore checked with --profile=limit --max-children=40;
  - Python retries EINTR itself (PEP 475) and ignores SIGPIPE at start-up,
    so a vanished client is a BrokenPipeError in the child (a traceback on
    stderr, exit status 1);
  - a failed fork() raises OSError: handle_error() prints a traceback, the
    connection is closed and serve_forever() goes on.

Known weaknesses, on purpose (they are the library's, not this file's):
  - FD-1 (SHOULD): the child never closes the listening socket.
  - EMFILE-1: when accept() fails with EMFILE, _handle_request_noblock()
    swallows the OSError and serve_forever() selects again at once; the
    listener is still readable, so the server busy-loops (40-75 % of a
    core measured) until a descriptor is free; it recovers then.

One deliberate change from TCPServer's defaults: request_queue_size (the
listen() backlog) is SOMAXCONN instead of 5, as for the C servers of this
corpus.  With 5, a burst of connects overflows the accept queue, the kernel
drops the excess SYNs and those clients connect only after SYN retransmits
(1 s, 3 s, 7 s ...).  Measured: of 43 clients connecting at once, only 30
were served after 1.2 s (40, the cap, with SOMAXCONN), and once 3 slots were
freed one waiting client was still not served 3 s later.
"""

import socket
import socketserver
import sys


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                return  # client half-closed: the child exits with status 0
            self.request.sendall(data)


class Server(socketserver.ForkingTCPServer):
    allow_reuse_address = True
    request_queue_size = socket.SOMAXCONN


def parse_port(argv):
    if len(argv) == 2 and argv[1].startswith("--port="):
        value = argv[1][len("--port="):]
        if value.isdigit() and 1 <= int(value) <= 65535:
            return int(value)
    sys.stderr.write("usage: %s --port=N\n" % argv[0])
    sys.exit(2)


def main():
    port = parse_port(sys.argv)
    with Server(("127.0.0.1", port), EchoHandler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
