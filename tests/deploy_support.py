"""The deploy/ files made runnable on loopback: the nginx site on test ports, a test certificate."""

from __future__ import annotations

import datetime
import getpass
import ipaddress
import shutil
import socket
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_MIME_TYPES = Path("/etc/nginx/mime.types")


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Write a certificate for 127.0.0.1 and its key; return their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def replace_once(text: str, old: str, new: str) -> str:
    """Replace ``old``, which must occur exactly once (the deploy file changed otherwise)."""
    assert text.count(old) == 1, f"deploy/nginx/engage.conf no longer has {old!r} once"
    return text.replace(old, new)


def site_on_loopback(
    upstreams: list[int],
    http_port: int,
    https_port: int,
    certificate: tuple[Path, Path],
    logs: Path,
) -> str:
    """Return deploy/nginx/engage.conf with the OPERATOR lines set for a test on loopback."""
    text = (DEPLOY / "nginx" / "engage.conf").read_text()
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in upstreams
    )
    text = replace_once(
        text, "    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;  # OPERATOR\n", servers
    )
    text = replace_once(
        text, "    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{http_port};\n"
    )
    text = replace_once(
        text,
        "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
        f"    listen 127.0.0.1:{https_port} ssl http2;\n",
    )
    cert, key = certificate
    text = replace_once(text, "/etc/ssl/engage/fullchain.pem", str(cert))
    text = replace_once(text, "/etc/ssl/engage/privkey.pem", str(key))
    text = replace_once(text, "alias /opt/engage/static/;", f"alias {REPO / 'engage' / 'static'}/;")
    return text.replace("/var/log/nginx/engage-access.log", str(logs / "access.log"))


def nginx_config(prefix: Path, site: str) -> Path:
    """Write a whole nginx configuration in ``prefix`` around ``site``; return its path.

    nginx stays in the foreground (a child of the test, stopped by its pid), with its pid,
    logs and temporary files in ``prefix``, and its workers run as the test's user.
    """
    (prefix / "site.conf").write_text(site)
    temp = {name: prefix / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(
        f"""daemon off;
user {getpass.getuser()};
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include {NGINX_MIME_TYPES};
    default_type application/octet-stream;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {prefix / "site.conf"};
}}
"""
    )
    return config


def nginx_command(prefix: Path, config: Path, *extra: str) -> list[str]:
    """Return the nginx command line for ``config``, its error log in ``prefix`` from the start."""
    return [NGINX, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log"), *extra]
