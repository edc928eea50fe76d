"""HTTPS: we dial the checked address, yet SNI and certificate verification use the URL's name."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from newsdigest.errors import FetchError
from newsdigest.fetch import fetch_url

from tests.security.conftest import PUBLIC_IP, PUBLIC_IP_2
from tests.security.hostile_servers import send

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _make_pki(directory: Path) -> tuple[Path, Path, Path]:
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("newsdigest test CA"))
        .issuer_name(_name("newsdigest test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("news.example"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("news.example")]), critical=False)
        # As a real CA issues them: Python 3.13 (Lambda's runtime) verifies with VERIFY_X509_STRICT,
        # which refuses a leaf without the Authority Key Identifier of its issuer.
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = directory / "ca.pem", directory / "leaf.pem", directory / "leaf.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca_path, cert_path, key_path


class TLSServer:
    def __init__(self, cert: Path, key: Path) -> None:
        self.sni: list[str | None] = []
        self.hosts: list[str] = []
        server = self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda sock, name, ctx: server.sni.append(name)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hosts.append(self.headers.get("Host", ""))
                send(self, 200, b"<html><body>secure</body></html>", {"Content-Type": "text/html"})

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def get_request(self):  # type: ignore[no-untyped-def]
                sock, addr = super().get_request()
                sock.settimeout(2)
                try:
                    return context.wrap_socket(sock, server_side=True), addr
                except (ssl.SSLError, OSError):
                    sock.close()
                    raise

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return _make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def tls_server(pki) -> Iterator[TLSServer]:
    server = TLSServer(pki[1], pki[2])
    yield server
    server.close()


@pytest.fixture
def tls_override(tls_server) -> dict[tuple[str, int], tuple[str, int]]:
    return {
        (PUBLIC_IP, 443): ("127.0.0.1", tls_server.port),
        (PUBLIC_IP_2, 443): ("127.0.0.1", tls_server.port),
    }


def test_https_uses_hostname_for_sni_and_verification(tls_server, tls_override, pki, strict, dns) -> None:
    tls_server.sni.clear()
    result = fetch_url(
        "https://news.example/",
        replace(strict, ca_certs=str(pki[0])),
        resolver=dns,
        connect_override=tls_override,
    )
    assert result.body == b"<html><body>secure</body></html>"
    assert tls_server.sni[-1] == "news.example"
    assert tls_server.hosts[-1] == "news.example"


def test_certificate_for_another_name_is_refused(tls_server, tls_override, pki, strict, dns) -> None:
    with pytest.raises(FetchError) as info:
        fetch_url(
            "https://other.example/",
            replace(strict, ca_certs=str(pki[0])),
            resolver=dns,
            connect_override=tls_override,
        )
    assert info.value.reason == "tls_error"


def test_untrusted_certificate_is_refused(tls_server, tls_override, strict, dns) -> None:
    with pytest.raises(FetchError) as info:
        fetch_url("https://news.example/", strict, resolver=dns, connect_override=tls_override)
    assert info.value.reason == "tls_error"
    assert info.value.permanent
