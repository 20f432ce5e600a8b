"""A TCP forwarder for the tests: connections to 127.0.0.1:PORT go to 127.0.0.1:TARGET. Killing it
drops every connection at once, as a database outage does; starting it again on the same port
brings the database back. Prints "ready" once it listens.

  tcp_proxy.py PORT TARGET
"""
import socket
import sys
import threading

port, target = int(sys.argv[1]), int(sys.argv[2])


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))
listener.listen(64)
print("ready", flush=True)
while True:
    client, _ = listener.accept()
    try:
        server = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        continue
    threading.Thread(target=pipe, args=(client, server), daemon=True).start()
    threading.Thread(target=pipe, args=(server, client), daemon=True).start()
