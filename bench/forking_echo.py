#!/usr/bin/python3
"""Python's standard-library forking echo server, a peer in bench/suite.py.

    /usr/bin/python3 forking_echo.py --port=N     (0 = ephemeral)

socketserver.ForkingTCPServer with a StreamRequestHandler echo, measured as
the library ships it: ForkingMixIn's max_children = 40 (at 40 live children
the parent blocks in waitpid until one ends) and its reaping style (no
SIGCHLD handler: serve_forever() reaps finished children with
waitpid(pid, WNOHANG) after each request and at least every poll_interval,
0.5 s). One change: the listen() backlog is 128, as for the minimal C server,
instead of TCPServer's 5 (with 5, concurrent connects overflow the accept
queue and wait for SYN retransmits, 1 s and more, which would measure the
backlog rather than the forking).

Prints "listening on 127.0.0.1:PORT" once listening, like the C servers.
"""

import socketserver
import sys


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                return  # EOF from the client: the child exits
            self.request.sendall(data)


class Server(socketserver.ForkingTCPServer):
    allow_reuse_address = True
    request_queue_size = 128


def main():
    port = None
    for arg in sys.argv[1:]:
        if arg.startswith("--port=") and arg[7:].isdigit():
            port = int(arg[7:])
    if port is None or port > 65535:
        sys.stderr.write("usage: forking_echo.py --port=N\n")
        sys.exit(2)
    with Server(("127.0.0.1", port), Echo) as server:
        print("listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
