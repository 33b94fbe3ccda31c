#!/usr/bin/env bash
# Publishes (or removes) one pull request's built site as the folder pr-<n>/ of the gh-pages branch
# of a preview repository, whose GitHub Pages site then serves it (.github/workflows/pull-request.yml
# and preview-cleanup.yml; docs/staff-guide.md explains the set-up).
#
#   preview.sh publish SITE_DIR     REMOTE and PR_NUMBER in the environment
#   preview.sh remove
#
# REMOTE: the preview repository's git URL, with a token that may push to it.
set -euo pipefail
action="$1"
: "${REMOTE:?}" "${PR_NUMBER:?}"
folder="pr-$PR_NUMBER"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git() { command git -c user.name="faqkb preview" -c user.email="faqkb-preview@users.noreply.github.com" "$@"; }
if ! git clone --quiet --depth 1 --branch gh-pages "$REMOTE" "$work/pages" 2>/dev/null; then
  # A new preview repository: its first gh-pages commit.
  git init --quiet "$work/pages"
  git -C "$work/pages" checkout --quiet -b gh-pages
  git -C "$work/pages" remote add origin "$REMOTE"
fi
rm -rf "${work:?}/pages/$folder"
if [ "$action" = publish ]; then
  cp -R "$2" "$work/pages/$folder"
  touch "$work/pages/.nojekyll"  # serve folders such as search/ as they are
fi
git -C "$work/pages" add -A
if git -C "$work/pages" diff --cached --quiet; then
  echo "预览没有变化：$folder"
  exit 0
fi
git -C "$work/pages" commit --quiet -m "${action^} the preview of pull request #$PR_NUMBER"
git -C "$work/pages" push --quiet origin gh-pages
if [ "$action" = publish ]; then echo "预览已更新：$folder"; else echo "预览已删除：$folder"; fi
