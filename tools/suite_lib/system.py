"""Debian packages the suite needs (installed with apt-get when missing)."""

import os
import shutil

from .core import SuiteError, env, run, say

# Debian packages: header files to build Odoo's requirements, Chromium for browser tours,
# wkhtmltopdf for PDF reports (piece-code labels), fonts for both.
SYSTEM_PACKAGES = {
    "git": "git",
    "libpq-dev": "psycopg2",
    "libldap2-dev": "python-ldap",
    "libsasl2-dev": "python-ldap",
    "libjpeg-dev": "Pillow",
    "libxml2-dev": "lxml",
    "libxslt1-dev": "lxml",
    "chromium": "browser tests (tours)",
    "wkhtmltopdf": "PDF reports",
    "fonts-dejavu-core": "PDF reports",
    "postgresql-client": "database checks (psql, pg_isready)",
    "postgresql-15": "reliability tests (a throwaway cluster of their own: initdb, pg_ctl)",
}


def ensure_system_packages():
    if env("SUITE_SKIP_APT"):
        return
    if not shutil.which("dpkg-query"):
        say(
            "not a Debian/Ubuntu system: install by hand the equivalents of "
            + ", ".join(SYSTEM_PACKAGES)
        )
        return
    out = run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\\n", *SYSTEM_PACKAGES],
        check=False,
        capture=True,
        quiet=True,
    ).stdout
    installed = {line.split()[0] for line in out.splitlines() if line.endswith(" installed")}
    missing = [p for p in SYSTEM_PACKAGES if p not in installed]
    if not missing:
        return
    apt_install(missing)


def apt_install(missing):
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None:
        raise SuiteError(
            "missing system packages: "
            + " ".join(missing)
            + "\n  install them as root: apt-get install "
            + " ".join(missing)
        )
    say("installing system packages: " + ", ".join(missing))
    apt_env = {"DEBIAN_FRONTEND": "noninteractive"}
    if run(
        [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
        check=False,
        extra_env=apt_env,
    ).returncode:
        run([*sudo, "apt-get", "update", "-q"], extra_env=apt_env)
        run(
            [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
            extra_env=apt_env,
        )
