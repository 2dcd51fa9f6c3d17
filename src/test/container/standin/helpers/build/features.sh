#!/bin/bash
# Stand-in for the official image's features.sh, which installs the features server.xml lists with
# featureUtility. The stand-in carries the full runtime, so this only proves each one is there.
set -euo pipefail
shopt -s nullglob
missing=0
while read -r feature; do
  if grep -qil "^IBM-ShortName: *${feature}\s*$" /opt/ol/wlp/lib/features/*.mf; then
    echo "features.sh: ${feature} present"
  else
    echo "features.sh: feature ${feature} is not in the runtime" >&2
    missing=1
  fi
done < <(sed -n 's:.*<feature>\([^<]*\)</feature>.*:\1:p' /config/server.xml /config/configDropins/*/*.xml)
exit $missing
