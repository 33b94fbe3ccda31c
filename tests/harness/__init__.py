"""What the tests and the benchmarks in scripts/ share, so that both measure the same thing.

- site.py: a real MkDocs build of a config into a folder, in this process or in one of its own
  (timed, with its peak memory and CPU time); the project's mkdocs.yml with changes.
- server.py: a local static server for a built site; `mkdocs serve` as staff run it.
- browser.py: Debian's Chromium launched with the project's flags; contexts that never leave
  127.0.0.1.
- gen_tree.py: a synthetic help centre of any size that passes `faqkb validate`.

tests/ is on sys.path in pytest (rootdir conftest); scripts put it there themselves.
"""
