#!/usr/bin/env bash
# Usage: scripts/new-package.sh <dir> <@gmart/name> "<description>"
# Lays out a workspace package with the repo's conventions (exports with the
# @gmart/source condition, build/typecheck/test/lint scripts, jest preset).
set -euo pipefail
dir=$1; name=$2; desc=$3
mkdir -p "$dir/src" "$dir/test"
rel=$(realpath --relative-to="$dir" .)
cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.1.0",
  "private": true,
  "description": "$desc",
  "license": "Apache-2.0",
  "main": "dist/index.js",
  "types": "dist/index.d.ts",
  "exports": {
    ".": {
      "@gmart/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    },
    "./package.json": "./package.json"
  },
  "files": ["dist"],
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "jest",
    "lint": "eslint src test"
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$rel/tsconfig.base.json",
  "compilerOptions": { "noEmit": true },
  "include": ["src", "test", "bench", "examples"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": false,
    "rootDir": "src",
    "outDir": "dist",
    "customConditions": [],
    "types": ["node"]
  },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
JSON
cat > "$dir/jest.config.js" <<JS
module.exports = { ...require('$rel/jest.preset.js') };
JS
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
