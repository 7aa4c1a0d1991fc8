#!/usr/bin/python3
"""Starts Debian's aiosmtpd on loopback for the tests, with AUTH PLAIN and LOGIN checked against a JSON users file,
and STARTTLS or TLS from the first byte. Prints "ready" once it accepts connections and stops when stdin closes, so
it never outlives the test process that started it."""
import argparse
import asyncio
import json
import ssl
import logging
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="starttls")
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--users", help="JSON object: login -> password; without it the server offers no AUTH")
parser.add_argument("--login-delay", type=float, default=0, help="seconds before each AUTH is answered")
options = parser.parse_args()

users = {}
if options.users:
    with open(options.users, encoding="utf-8") as file:
        users = json.load(file)


class Handler:
    async def handle_AUTH(self, server, session, envelope, args):
        if options.login_delay:
            await asyncio.sleep(options.login_delay)
        return MISSING


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    login = auth_data.login.decode("utf-8", "replace")
    password = auth_data.password.decode("utf-8", "replace")
    return AuthResult(success=users.get(login) == password, handled=False)


# aiosmtpd logs a deprecation warning of its own at every login; the tests read what the client saw, not this.
logging.getLogger("mail.log").setLevel(logging.ERROR)

context = None
if options.tls != "none":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(options.cert, options.key)

controller = Controller(
    Handler(),
    hostname="127.0.0.1",
    port=options.port,
    ssl_context=context if options.tls == "implicit" else None,
    tls_context=context if options.tls == "starttls" else None,
    authenticator=authenticator if options.users else None,
    # Without users, AUTH is never offered: aiosmtpd advertises it only on TLS connections when this is set.
    auth_require_tls=not options.users or options.tls == "starttls",
)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
