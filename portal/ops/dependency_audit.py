"""Known vulnerabilities in the locked dependency set (requirements.lock), by pip-audit
against the PyPI vulnerability service. Never passes silently:

- exit 0: every locked package was audited and none has a known vulnerability;
- exit 1: a package has a known vulnerability (listed, with the fixed versions);
- exit 2: the audit could not be done (the service was unreachable, or packages could not
  be looked up): the message says so plainly.

Usage: python -m portal.ops.dependency_audit [requirements.lock] (see .ci/run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def run_pip_audit(lock: Path, executable: Path = PIP_AUDIT) -> tuple[int, str, str]:
    command = [str(executable), "-r", str(lock), "--no-deps", "--disable-pip",
               "--format", "json", "--progress-spinner", "off"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 2, "", f"could not run pip-audit: {exc}"
    return result.returncode, result.stdout, result.stderr


def judge(returncode: int, stdout: str, stderr: str) -> tuple[int, list[str]]:
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        tail = (stderr or stdout).strip().splitlines()[-5:]
        return 2, ["DEPENDENCY AUDIT NOT DONE: pip-audit gave no report (is the PyPI "
                   "vulnerability service reachable?)", *tail]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    lines = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE: {dep['name']} {dep.get('version')}: {vuln.get('id')} "
                         f"(fixed in {fixed})")
    if vulnerable:
        return 1, lines
    if skipped or not dependencies:
        names = ", ".join(d["name"] for d in skipped[:10])
        more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        return 2, [f"DEPENDENCY AUDIT NOT DONE: {len(skipped)} of {len(dependencies)} locked "
                   f"packages could not be looked up in the PyPI vulnerability service "
                   f"({names}{more}); first reason: "
                   f"{skipped[0]['skip_reason'] if skipped else 'empty report'}"]
    return 0, [f"Dependency audit: {len(dependencies)} locked packages, no known "
               "vulnerabilities."]


def main(argv: list[str]) -> int:
    lock = Path(argv[0]) if argv else ROOT / "requirements.lock"
    code, lines = judge(*run_pip_audit(lock))
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
