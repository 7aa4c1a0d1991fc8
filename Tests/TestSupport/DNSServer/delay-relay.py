#!/usr/bin/python3
"""Hands DNS questions over UDP to a server on loopback and each answer back after a delay, for the benchmark that
measures the domain check against a resolver far away: relay.py LISTEN_PORT SERVER_PORT DELAY_SECONDS. It does not
read the messages beyond their ID. Prints "ready" once it listens and stops when stdin closes."""
import asyncio
import collections
import socket
import sys

listen_port, server_port, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])


class Upstream(asyncio.DatagramProtocol):
    def __init__(self):
        # Questions waiting for an answer, by message ID: two in flight may share one (16 bits, thousands asked).
        self.clients = collections.defaultdict(collections.deque)
        self.downstream = None

    def datagram_received(self, data, _):
        waiting = self.clients.get(data[:2])
        if waiting:
            client = waiting.popleft()
            if not waiting:
                del self.clients[data[:2]]
            asyncio.get_running_loop().call_later(delay, self.downstream.sendto, data, client)


class Downstream(asyncio.DatagramProtocol):
    def __init__(self, upstream):
        self.upstream = upstream

    def connection_made(self, transport):
        self.upstream.downstream = transport

    def datagram_received(self, data, client):
        self.upstream.clients[data[:2]].append(client)
        self.upstream.transport.sendto(data)


def roomy(transport):
    """A burst of hundreds of datagrams overflows the kernel's default buffers; root may force larger ones."""
    sock = transport.get_extra_info("socket")
    for option, forced in ((socket.SO_RCVBUF, 33), (socket.SO_SNDBUF, 32)):  # SO_RCVBUFFORCE, SO_SNDBUFFORCE
        for name in (forced, option):
            try:
                sock.setsockopt(socket.SOL_SOCKET, name, 4 << 20)
                break
            except OSError:
                continue


async def main():
    loop = asyncio.get_running_loop()
    upstream = Upstream()
    upstream.transport, _ = await loop.create_datagram_endpoint(lambda: upstream, remote_addr=("127.0.0.1", server_port))
    downstream, _ = await loop.create_datagram_endpoint(lambda: Downstream(upstream), local_addr=("127.0.0.1", listen_port))
    roomy(upstream.transport)
    roomy(downstream)
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
