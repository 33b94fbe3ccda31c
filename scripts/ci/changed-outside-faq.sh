#!/usr/bin/env bash
# Does this change touch anything outside faq/? Writes code=true or code=false to $GITHUB_OUTPUT
# (or stdout), and the changed files outside faq/ to the job summary.
#
# BASE_SHA: the commit to compare HEAD with (the pull request's or merge group's base). Without
# one (a run started by hand), the answer is true: the code job runs.
set -euo pipefail
output="${GITHUB_OUTPUT:-/dev/stdout}"
if [ -z "${BASE_SHA:-}" ]; then
  echo "code=true" >> "$output"
  exit 0
fi
# The checkout holds HEAD only; the base's tree is all a diff needs.
git cat-file -e "$BASE_SHA^{commit}" 2>/dev/null || git fetch --no-tags --depth=1 origin "$BASE_SHA"
outside=$(git diff --name-only "$BASE_SHA" HEAD -- . ':(exclude)faq/' )
if [ -n "$outside" ]; then
  echo "code=true" >> "$output"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { echo "### 改动了 faq/ 以外的文件，会运行全部测试"; echo; echo '```text'; echo "$outside"; echo '```'; } \
      >> "$GITHUB_STEP_SUMMARY"
  fi
else
  echo "code=false" >> "$output"
fi
