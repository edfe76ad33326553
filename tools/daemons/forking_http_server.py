#!/usr/bin/python3
"""forking_http_server.py - Python's http.server, one forked child per connection.

    /usr/bin/python3 $PWD/tools/daemons/forking_http_server.py [--directory=DIR] PORT

for forkcheck --protocol=http (see conformance/COMPATIBILITY.md, "Daemons"):

    forkcheck --protocol=http --http-large-path=/large.bin --profile=limit \
        --max-children=40 -- /usr/bin/python3 $PWD/tools/daemons/forking_http_server.py {port}

`python3 -m http.server` serves from threads (ThreadingHTTPServer), and
http.server has no forking variant (Python 3.11), so this is the one the
socketserver documentation describes: socketserver.ForkingMixIn +
http.server.HTTPServer, serving DIR (default: the current directory) with
SimpleHTTPRequestHandler, on 127.0.0.1 only. Run it with Debian's
/usr/bin/python3: a `python3` on PATH may be another interpreter (a pyenv
shim, which is itself a process in front of the server). Give this script
as an absolute path: forkcheck starts the server in a temporary directory
of its own and makes only the program (argv[0]) absolute, not its
arguments.

Unless DIR already has them, it writes into DIR (forkcheck starts every
server in a fresh temporary directory of its own):
  index.html  a small page, what GET / returns;
  large.bin   16 MiB of spaces, a reply large enough to fill the socket
              buffers (--http-large-path=/large.bin).

Everything else is the library's default on purpose, so that forkcheck
judges the standard library, except one change, as in
scenarios/testdata/corpus/forking_tcp_server.py: request_queue_size (the
listen() backlog) is SOMAXCONN instead of 5, because with 5 a burst of
connects overflows the accept queue and most clients wait for SYN
retransmits (1 s, 3 s, ...).

What follows from the library (socketserver.py and http/server.py of 3.11):
  - no SIGCHLD handler: serve_forever() wakes every 0.5 s and
    service_actions() -> ForkingMixIn.collect_children() reaps finished
    children with waitpid(pid, WNOHANG); zombies live up to ~0.5 s;
  - max_children = 40: at 40 live children collect_children() blocks in
    waitpid(-1, 0) until one ends, so further clients queue;
  - the child never closes the listening socket (FD-1);
  - the request handler has no timeout (StreamRequestHandler.timeout is
    None): a client that sends half a request holds its child forever;
  - SIGTERM (not handled) kills the parent alone; its children go on;
  - SIGINT raises KeyboardInterrupt in the parent; like http.server.test()
    (what `python3 -m http.server` runs), this script then leaves the `with`
    block, whose server_close() waits (block_on_close) for every child to
    end: with a child held open by its client, the parent waits as long.
"""

import http.server
import os
import socket
import socketserver
import sys


class ForkingHTTPServer(socketserver.ForkingMixIn, http.server.HTTPServer):
    request_queue_size = socket.SOMAXCONN


def populate(directory):
    index = os.path.join(directory, "index.html")
    if not os.path.exists(index):
        with open(index, "w") as f:
            f.write("<!doctype html>\n<title>forkcheck</title>\n"
                    "<p>Python ForkingMixIn + HTTPServer, served for forkcheck\n")
    large = os.path.join(directory, "large.bin")
    if not os.path.exists(large):
        with open(large, "wb") as f:
            f.write(b" " * (16 << 20))


def usage():
    sys.stderr.write("usage: %s [--directory=DIR] PORT\n" % sys.argv[0])
    sys.exit(2)


def main():
    directory = os.getcwd()
    port = None
    for arg in sys.argv[1:]:
        if arg.startswith("--directory="):
            directory = os.path.abspath(arg[len("--directory="):])
        elif arg.isdigit() and 1 <= int(arg) <= 65535 and port is None:
            port = int(arg)
        else:
            usage()
    if port is None:
        usage()
    populate(directory)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=directory, **kwargs)

    with ForkingHTTPServer(("127.0.0.1", port), Handler) as server:
        sys.stderr.write("serving %s on 127.0.0.1:%d (pid %d)\n" % (directory, port, os.getpid()))
        sys.stderr.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            sys.stderr.write("\nKeyboard interrupt received, exiting.\n")
            sys.exit(0)


if __name__ == "__main__":
    main()
