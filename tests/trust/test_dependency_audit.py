"""The dependency audit in CI (portal/ops/dependency_audit.py) never passes silently: a
known vulnerability fails it with the fixed version, and an audit the service could not
answer is reported as not done (exit 2), not as clean."""

import json

from portal.ops.dependency_audit import judge, run_pip_audit


def report(*deps):
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_a_known_vulnerability_fails_and_names_the_fix():
    code, lines = judge(1, report(
        {"name": "django", "version": "4.2.0", "vulns": [
            {"id": "PYSEC-2023-100", "fix_versions": ["4.2.2"]}]},
        {"name": "segno", "version": "1.6.6", "vulns": []}), "")
    assert code == 1
    assert lines == ["VULNERABLE: django 4.2.0: PYSEC-2023-100 (fixed in 4.2.2)"]


def test_packages_the_service_could_not_look_up_mean_not_audited():
    code, lines = judge(0, report(
        {"name": "django", "version": "5.2.8",
         "skip_reason": "Dependency not found on PyPI and could not be audited"},
        {"name": "segno", "version": "1.6.6", "vulns": []}), "")
    assert code == 2 and "NOT DONE" in lines[0] and "1 of 2" in lines[0]


def test_no_report_at_all_means_not_audited():
    code, lines = judge(1, "", "ConnectionError: pypi.org unreachable")
    assert code == 2 and "NOT DONE" in lines[0]
    assert "unreachable" in lines[-1]


def test_a_clean_audit_passes():
    code, lines = judge(0, report({"name": "segno", "version": "1.6.6", "vulns": []}), "")
    assert code == 0 and "no known vulnerabilities" in lines[0]


def test_a_missing_pip_audit_is_not_a_pass(tmp_path):
    code, _out, err = run_pip_audit(tmp_path / "requirements.lock",
                                    executable=tmp_path / "no-such-pip-audit")
    assert code == 2 and "could not run pip-audit" in err
    assert judge(code, _out, err)[0] == 2


def test_the_ci_step_runs_it_before_the_tests():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert script.index("portal.ops.dependency_audit") < script.index("make test on SQLite")
