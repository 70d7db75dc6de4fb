"""Believe X-Forwarded-For and X-Forwarded-Proto only from the proxies named in settings.

Behind a reverse proxy every request comes from the proxy's address: without this, every citizen
shares one rate-limit bucket and the app never knows it was reached over HTTPS. From anyone else
the headers are ignored, since any client can write them.
"""

import ipaddress


def parse_networks(value: str, setting: str = "GONGKAI_TRUSTED_PROXIES") -> tuple:
    """`"10.0.0.1, 192.168.0.0/16"` → networks; ValueError names the setting and the bad entry."""
    networks = []
    for item in (value or "").split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"{setting}: {item.strip()!r} is not an address or network") from exc
    return tuple(networks)


def contains(networks: tuple, address: str) -> bool:
    """Whether `address` lies in one of `networks` (False for anything that is not an address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxies:
    """WSGI middleware: the client is the right-most X-Forwarded-For hop that is not a trusted proxy."""

    def __init__(self, app, networks: tuple):
        self.app, self.networks = app, networks

    def _trusted(self, address: str) -> bool:
        return contains(self.networks, address)

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            client = environ["REMOTE_ADDR"]
            for hop in reversed(hops):
                if not _is_address(hop):
                    break  # a malformed hop: keep the last address a trusted proxy vouched for
                client = hop
                if not self._trusted(hop):
                    break
            environ["REMOTE_ADDR"] = client
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.app(environ, start_response)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False
