#!/bin/bash
# Adds the master password from the environment, then hands over to the image's entrypoint
# (which reads HOST, PORT, USER and PASSWORD for the database).
set -euo pipefail
if [ -n "${ODOO_ADMIN_PASSWD:-}" ]; then
    set -- "$@" "--admin-passwd=${ODOO_ADMIN_PASSWD}"
fi
exec /entrypoint.sh "$@"
