#!/bin/sh
# Make env/*.env and secrets/* for compose.yaml from the *.example files, with a fresh random
# value for each CHANGE_ME_<NAME> placeholder (the same NAME gets the same value in every file,
# so the broker, the registry and Turing agree). Existing files are left alone.
set -eu
cd "$(dirname "$0")"
umask 077

random() {
    # 32 characters that need no quoting in URLs, JAAS strings or env files.
    LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32
}

values=$(mktemp)
trap 'rm -f "$values"' EXIT
for name in $(cat env/*.env.example secrets/*.example | grep -o 'CHANGE_ME_[A-Z_]*' | sort -u); do
    printf 's/%s/%s/g\n' "$name" "$(random)" >> "$values"
done

chmod 700 env secrets
for example in env/*.env.example secrets/*.example; do
    target="${example%.example}"
    if [ -e "$target" ]; then
        echo "kept    $target"
        continue
    fi
    sed -f "$values" "$example" > "$target"
    echo "made    $target"
done
# Secrets are bind-mounted as they are on disk and read by the containers' own users (the
# registry's and PostgreSQL's): readable files inside a directory only the operator can enter.
chmod 644 secrets/postgres-password secrets/registry-users
