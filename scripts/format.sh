#!/usr/bin/env bash
# clang-format over the C++ sources (src/, tests/cpp/, tests/fuzz/, tests/tools/).
#   scripts/format.sh          rewrite files in place
#   scripts/format.sh --check  list files that need formatting and exit 1 if any do
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src tests/cpp tests/fuzz tests/tools -name '*.h' -o -name '*.cc' 2>/dev/null | sort)
((${#files[@]})) || exit 0

if [[ ${1:-} == --check ]]; then
  bad=()
  for f in "${files[@]}"; do
    clang-format --style=file "$f" | cmp -s - "$f" || bad+=("$f")
  done
  if ((${#bad[@]})); then
    echo "clang-format: these files need formatting (run: npm run format):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "clang-format: ${#files[@]} files clean"
else
  clang-format --style=file -i "${files[@]}"
fi
