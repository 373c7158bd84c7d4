"""Where a request to an address that people chose may go: never into the network the
site runs in. Used by the webhooks' deliverer (a partner's address) and the link checker
(the links editors wrote).

A person chooses the address, and a host name can point anywhere: at the database, the
cache, a cloud's metadata service (169.254.169.254) or the admin on localhost. A client
that went wherever a name pointed would let whoever can add a webhook or a link reach
those (server-side request forgery). So before each request the host is looked up, and
the request is refused when any of its addresses is not a public one: a name with one
public and one private address could be answered with either.

The connection then goes to the addresses that were checked, never to a second look-up
of the name, which could answer otherwise (DNS rebinding). TLS is still verified for the
host name (SNI and the certificate), and the Host header still names it. Proxies from
the environment are not used: a proxy would look the name up again itself.

A developer's or a test's server listens on loopback: the caller says whether private
addresses are allowed (`WEBHOOKS_ALLOW_PRIVATE_ADDRESSES`, `LINK_CHECK_ALLOW_PRIVATE_ADDRESSES`
in the dev and test settings).
"""

import ipaddress
import socket
from functools import partial
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlsplit
from urllib.request import HTTPHandler, HTTPSHandler, OpenerDirector, ProxyHandler, build_opener

DEFAULT_PORTS = {"http": 80, "https": 443}

# What an address that is not public is, in the words of a refusal; the first that
# applies. (Python counts multicast as global: it is looked for before that.)
KINDS = [
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_unspecified", "an unspecified address"),
    ("is_reserved", "a reserved address"),
    ("is_private", "a private address"),
]

# A resolved address as `socket.getaddrinfo` gives it: its family and its socket address.
Address = tuple[socket.AddressFamily, tuple]


class Refused(Exception):
    """The host is not one a request may go to; the message says why."""


def resolve(url: str) -> list[Address]:
    """Every address the URL's host has (raises `socket.gaierror` for an unknown host)."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in found]


def not_public(address: str) -> str | None:
    """What `address` is when a delivery may not go there, else None."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.5 is 10.0.0.5
    kind = next((kind for attribute, kind in KINDS if getattr(ip, attribute)), None)
    if kind is None and not ip.is_global:
        kind = "not a public address"  # e.g. shared address space (100.64.0.0/10)
    return kind


def check(host: str, addresses: list[Address], allow_private: bool = False) -> None:
    """Refuse a host any of whose addresses is not public (unless `allow_private`)."""
    if allow_private:
        return
    for _family, sockaddr in addresses:
        address = sockaddr[0]
        kind = not_public(address)
        if kind is not None:
            where = f"{host} is" if host == address else f"{host} resolves to {address},"
            raise Refused(f"Refused: {where} {kind}")


def opener_for(url: str, *handlers, allow_private: bool = False) -> OpenerDirector:
    """An opener that sends requests for `url` to its host's checked addresses only.

    Raises `Refused` for a host that may not be reached, `socket.gaierror` for an unknown
    one. `handlers` are added to the opener (e.g. one that refuses redirects).
    """
    addresses = resolve(url)
    check(urlsplit(url).hostname, addresses, allow_private)
    return build_opener(
        ProxyHandler({}),
        _PinnedHTTPHandler(addresses),
        _PinnedHTTPSHandler(addresses),
        *handlers,
    )


def _connect(addresses: list[Address], _where, timeout=None, source_address=None):
    """`socket.create_connection`, to the checked addresses in turn instead of the name."""
    error = OSError("no address to connect to")
    for _family, sockaddr in addresses:
        try:
            return socket.create_connection(sockaddr[:2], timeout, source_address)
        except OSError as failed:
            error = failed
    raise error


class _Pinned:
    """An http.client connection that connects to the given addresses (its host name
    stays what it was, for the Host header and TLS)."""

    def __init__(self, *args, addresses: list[Address], **kwargs):
        super().__init__(*args, **kwargs)
        # http.client's own hook for making the socket (HTTPConnection.connect calls it).
        self._create_connection = partial(_connect, addresses)


class _PinnedHTTPConnection(_Pinned, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_Pinned, HTTPSConnection):
    pass


class _PinnedHTTPHandler(HTTPHandler):
    def __init__(self, addresses: list[Address]):
        super().__init__()
        self.addresses = addresses

    def http_open(self, req):
        return self.do_open(_PinnedHTTPConnection, req, addresses=self.addresses)


class _PinnedHTTPSHandler(HTTPSHandler):
    def __init__(self, addresses: list[Address]):
        super().__init__()
        self.addresses = addresses

    def https_open(self, req):
        return self.do_open(
            _PinnedHTTPSConnection, req, context=self._context, addresses=self.addresses
        )
