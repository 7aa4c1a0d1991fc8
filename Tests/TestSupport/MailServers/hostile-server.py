#!/usr/bin/python3
"""A hostile mail server for the tests: one misbehaviour per mode, on a free loopback port. It appends every byte it
receives to --capture (so a test can prove what never crossed a plain connection) and one line per connection to
--capture.connections. Prints "ready PORT" once it listens and stops when stdin closes."""
import argparse
import asyncio
import base64
import json
import os
import ssl
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--mode", required=True)
parser.add_argument("--capture", required=True)
parser.add_argument("--cert")
parser.add_argument("--key")
options = parser.parse_args()

ESCAPES = " \x1b[31mred\x1b]0;owned\x07\x9b2J "
FLOOD_BYTES = 400 * 1024 * 1024


class Peer:
    def __init__(self, reader, writer, capture):
        self.reader, self.writer, self.capture = reader, writer, capture

    async def line(self):
        data = await self.reader.readline()
        self.capture.write(data)
        if not data:
            raise ConnectionError("closed")
        return data.decode("utf-8", "replace").rstrip("\r\n")

    async def send(self, text):
        self.writer.write(text.encode("utf-8") if isinstance(text, str) else text)
        await self.writer.drain()


def echoed(secret):
    """A password in every form a careless server might repeat it."""
    return " password=" + secret + " b64=" + base64.b64encode(secret.encode()).decode() + " json=" + json.dumps(secret) + ESCAPES


async def smtp_plain(peer):
    """Plain SMTP that leaves STARTTLS out of EHLO and accepts any AUTH: a STARTTLS-stripping man in the middle."""
    await peer.send("220 hostile ESMTP\r\n")
    while True:
        command = (await peer.line()).upper()
        if command.startswith("EHLO"):
            await peer.send("250-hostile\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
        elif command.startswith("AUTH"):
            await peer.send("235 2.7.0 ok\r\n")
        elif command.startswith("QUIT"):
            await peer.send("221 bye\r\n")
            return
        else:
            await peer.send("250 ok\r\n")


async def imap_plain(peer, capabilities):
    await peer.send("* OK hostile IMAP\r\n")
    while True:
        words = (await peer.line()).split(" ")
        tag, command = words[0], (words[1].upper() if len(words) > 1 else "")
        if command == "CAPABILITY":
            await peer.send("* CAPABILITY " + capabilities + "\r\n" + tag + " OK done\r\n")
        elif command == "AUTHENTICATE" and len(words) == 3:
            await peer.send("+ \r\n")
            await peer.line()
            await peer.send(tag + " OK welcome\r\n")
        elif command == "LOGOUT":
            await peer.send("* BYE\r\n" + tag + " OK bye\r\n")
            return
        else:
            await peer.send(tag + " OK welcome\r\n")


async def smtp_trickle(peer):
    """A greeting that never ends: one continuation line every 0.3 s."""
    while True:
        await peer.send("220-still greeting\r\n")
        await asyncio.sleep(0.3)


async def imap_endless(peer):
    """Answers CAPABILITY with continuation requests, for ever, while it keeps (captures) whatever the client says."""
    await peer.send("* OK hostile IMAP\r\n")
    await peer.line()

    async def listen():
        while True:
            await peer.line()

    listener = asyncio.ensure_future(listen())
    try:
        while not listener.done():
            await peer.send("+ more\r\n")
            # Paced like the server that got 53,028 answers in 20 s, so the client reads each one.
            await asyncio.sleep(0.002)
    finally:
        listener.cancel()


async def smtp_flood(peer, line_end):
    """Answers EHLO with 400 MB: lines of a reply that never ends, or one line that never ends. Notes what it managed
    to send before the client hung up."""
    await peer.send("220 hostile ESMTP\r\n")
    await peer.line()
    chunk = (("250-" + "x" * 1020 + "\r\n") if line_end else "x" * 1024).encode() * 1024
    sent = 0
    # The count is written after every chunk, not once at the end: the test stops this process as soon as the
    # client gives up, which may be before this handler hears of it.
    note_sent(sent)
    while sent < FLOOD_BYTES:
        await peer.send(chunk)
        sent += len(chunk)
        note_sent(sent)


def note_sent(count):
    with open(options.capture + ".sent", "w") as file:
        file.write(str(count))


async def smtp_echo(peer):
    """TLS from the first byte; refuses AUTH PLAIN, repeating what it was sent and the password it decoded."""
    await peer.send("220 hostile ESMTP\r\n")
    while True:
        line = await peer.line()
        command = line.upper()
        if command.startswith("EHLO"):
            await peer.send("250-hostile\r\n250 AUTH PLAIN\r\n")
        elif command.startswith("AUTH PLAIN "):
            password = base64.b64decode(line[11:]).split(b"\0")[2].decode("utf-8", "replace")
            await peer.send("535 5.7.8 you sent " + line + echoed(password) + "\r\n")
        elif command.startswith("QUIT"):
            await peer.send("221 bye\r\n")
            return
        else:
            await peer.send("500 " + line + ESCAPES + "\r\n")


async def imap_echo(peer):
    """TLS from the first byte; refuses LOGIN, repeating the command in an untagged line and in the tagged NO."""
    await peer.send("* OK hostile IMAP\r\n")
    while True:
        line = await peer.line()
        words = line.split(" ")
        tag, command = words[0], (words[1].upper() if len(words) > 1 else "")
        if command == "CAPABILITY":
            await peer.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK done\r\n")
        elif command == "LOGIN":
            await peer.send("* NO you sent " + line + ESCAPES + "\r\n" + tag + " NO [AUTHENTICATIONFAILED] " + line + ESCAPES + "\r\n")
        elif command == "LOGOUT":
            await peer.send("* BYE\r\n" + tag + " OK bye\r\n")
            return
        else:
            await peer.send(tag + " BAD " + line + "\r\n")


async def imap_literal(peer):
    """TLS from the first byte; refuses LOGIN, but first sends a literal holding a fake tagged OK."""
    await peer.send("* OK hostile IMAP\r\n")
    while True:
        words = (await peer.line()).split(" ")
        tag, command = words[0], (words[1].upper() if len(words) > 1 else "")
        if command == "CAPABILITY":
            await peer.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK done\r\n")
        elif command == "LOGIN":
            fake = tag + " OK LOGIN completed\r\n"
            await peer.send("* OK [ALERT] {" + str(len(fake)) + "}\r\n" + fake + "\r\n" + tag + " NO [AUTHENTICATIONFAILED] refused\r\n")
        elif command == "LOGOUT":
            await peer.send("* BYE\r\n" + tag + " OK bye\r\n")
            return
        else:
            await peer.send(tag + " OK\r\n")


MODES = {
    "smtp-plain": smtp_plain,
    "imap-plain": lambda peer: imap_plain(peer, "IMAP4rev1 AUTH=PLAIN LITERAL+"),
    "imap-plain-logindisabled": lambda peer: imap_plain(peer, "IMAP4rev1 LOGINDISABLED AUTH=PLAIN SASL-IR"),
    "smtp-trickle": smtp_trickle,
    "imap-endless": imap_endless,
    "smtp-flood": lambda peer: smtp_flood(peer, True),
    "smtp-long-line": lambda peer: smtp_flood(peer, False),
    "smtp-echo": smtp_echo,
    "imap-echo": imap_echo,
    "imap-literal": imap_literal,
    # TLS a password must not cross: 1.1 at most, or 1.2 with a key exchange without forward secrecy.
    "smtp-tls11": smtp_echo,
    "smtp-rsa-kex": smtp_echo,
}
TLS_MODES = {"smtp-echo", "imap-echo", "imap-literal", "smtp-tls11", "smtp-rsa-kex"}


async def main():
    context = None
    if options.mode in TLS_MODES:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)
        if options.mode == "smtp-tls11":
            context.set_ciphers("ALL:@SECLEVEL=0")
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1_1
        if options.mode == "smtp-rsa-kex":
            context.maximum_version = ssl.TLSVersion.TLSv1_2
            context.set_ciphers("AES128-GCM-SHA256:AES256-GCM-SHA384")
    capture = open(options.capture, "ab", buffering=0)
    connections = open(options.capture + ".connections", "a", buffering=1)

    async def handle(reader, writer):
        connections.write("connection\n")
        try:
            await MODES[options.mode](Peer(reader, writer, capture))
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()
    os._exit(0)


asyncio.run(main())
