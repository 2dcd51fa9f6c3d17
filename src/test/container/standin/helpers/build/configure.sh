#!/bin/bash
# Stand-in for the official image's configure.sh. Of what it does, what applies to a server without
# TLS, session caches, SSO or interim fixes: the configDropins folders, and a touch of server.xml.
# It skips the keystore (needs no TLS here) and populate_scc.sh (OpenJ9's class cache; this is HotSpot).
set -euo pipefail
mkdir -p /config/configDropins/overrides /config/configDropins/defaults
touch /config/server.xml
echo "configure.sh: stand-in: no keystore, no OpenJ9 class cache"
