"""
Runs AWS CLI commands in one Python interpreter: each line of stdin is a JSON object {"args": [...],
"env": {...}}, each line of stdout the JSON answer {"rc": N, "stdout": "...", "stderr": "..."}.
Every command gets a fresh driver and session (create_clidriver), so nothing but the imported code is
shared between commands; it saves the interpreter start each `aws` run pays.
"""
import contextlib
import io
import json
import os
import sys

import awscli.clidriver

BASE_ENV = dict(os.environ)
out = sys.stdout

for line in sys.stdin:
    req = json.loads(line)
    os.environ.clear()
    os.environ.update(BASE_ENV)
    os.environ.update(req.get("env", {}))
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            rc = awscli.clidriver.create_clidriver().main(req["args"])
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    out.write(json.dumps({"rc": rc, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}) + "\n")
    out.flush()
