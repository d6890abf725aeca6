#!/usr/bin/env python3
"""The GitHub Actions workflows and the deploy role's policy, checked.

    test-workflows.py [SOURCE_ROOT]

Parses every workflow under .github/workflows and checks:

  pinned         every `uses:` names a 40-hex commit SHA with a `# vX` comment
                 (local ./ actions allowed)
  permissions    set at the top or on every job; never write-all/read-all or a
                 write scope, except id-token: write in jobs that assume an AWS
                 role; contents: read wherever the code is checked out
  secrets        `${{ secrets.* }}` only in a step's `with:`/`env:`, never in a
                 `run:` script; no echo/printf of a variable holding a secret
  oidc           AWS through configure-aws-credentials with role-to-assume,
                 never access keys; the deploy role only in `production` jobs
  saved-plan     every `terraform apply` applies a plan file produced by a
                 `terraform plan -out` (same job, or a needed job's artifact
                 downloaded, by the same name, and checksum-verified before
                 the apply), with no -auto-approve, -var or -var-file
  concurrency    every job that applies holds one shared concurrency group with
                 cancel-in-progress: false (deploy and destroy alike)
  destroy-guard  a workflow that destroys runs only by hand, and its first step
                 demands the input be exactly "destroy-production"
  ci             ci.yml runs the README's test command (.ci/run), terraform fmt
                 and validate, and keeps the test logs and screenshots
  deploy-policy  terraform/deploy-role-policy.json: valid JSON, no "*" action,
                 no "*" resource except the listed unscopable read actions and
                 the conditioned lambda:CreateEventSourceMapping; Read*
                 statements (the plan role's policy) only read

Then a self-test feeds each check a deliberately bad workflow (or policy)
held in memory and expects it to fail. Output is TAP, ending with a
"# N passed, N failed" line.
"""

import json
import os
import re
import shlex
import sys
from pathlib import Path

import yaml

SHA_RE = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
USES_LINE_RE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
SECRET_RE = re.compile(r"\$\{\{[^}]*\bsecrets\.")
AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"
DEPLOY_ROLE_SECRET = "AWS_DEPLOY_ROLE_ARN"
CONFIRMATION = "destroy-production"

# Read actions that cannot be scoped to a resource ARN (list operations, or
# authorized against server-generated ARNs); terraform/README.md says why.
UNSCOPABLE_READ_ACTIONS = {
    "cloudwatch:DescribeAlarms",
    "logs:DescribeLogGroups",
    "sns:GetSubscriptionAttributes",
}
# Write actions with no resource type, allowed on "*" only with a condition
# naming the resource they act for.
CONDITIONED_STAR_ACTIONS = {
    "lambda:CreateEventSourceMapping": "lambda:FunctionArn",
}
POLICY_PLACEHOLDERS = {
    "AccountId", "Region", "Prefix", "ItemsTable", "StateBucket", "StateKey", "LockTable",
}
READ_VERBS = ("Get", "List", "Describe")


class Workflow:
    """One workflow: its file name, raw text and parsed document."""

    def __init__(self, name, text):
        self.name = name
        self.text = text
        try:
            self.doc = yaml.safe_load(text) or {}
            self.error = None
        except yaml.YAMLError as e:
            self.doc = {}
            self.error = str(e).replace("\n", " ")

    @property
    def on(self):
        # YAML 1.1 reads the key `on` as the boolean True.
        return self.doc.get("on", self.doc.get(True)) or {}

    @property
    def triggers(self):
        on = self.on
        if isinstance(on, str):
            return {on}
        if isinstance(on, list):
            return set(on)
        return set(on)

    @property
    def jobs(self):
        return self.doc.get("jobs") or {}


# --- reading workflows -------------------------------------------------------

def steps(job):
    return job.get("steps") or []


def uses(step):
    return str(step.get("uses", ""))


def action_name(step):
    return uses(step).split("@", 1)[0]


def run_text(step):
    return str(step.get("run", ""))


def assumes_aws_role(job):
    return any(action_name(s) == AWS_CREDENTIALS_ACTION for s in steps(job))


def effective_permissions(wf, job):
    return job["permissions"] if "permissions" in job else wf.doc.get("permissions")


def commands(script, program):
    """The argument lists of every `program ...` command in a shell script
    (continuation lines joined; each line split on ; && ||)."""
    joined = re.sub(r"\\\n\s*", " ", script)
    found = []
    for line in joined.splitlines():
        for part in re.split(r";|&&|\|\||\|", line):
            try:
                words = shlex.split(part, comments=True)
            except ValueError:
                words = part.split()
            if words and words[0] == program:
                found.append(words[1:])
    return found


def terraform_commands(step, subcommand):
    out = []
    for args in commands(run_text(step), "terraform"):
        args = [a for a in args if not a.startswith("-chdir")]
        if args and args[0] == subcommand:
            out.append(args[1:])
    return out


def option_value(args, name):
    for i, a in enumerate(args):
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
        if a == name and i + 1 < len(args):
            return args[i + 1]
    return None


def needed_jobs(wf, job_id, seen=None):
    """Every job job_id needs, directly or not."""
    seen = set() if seen is None else seen
    needs = wf.jobs[job_id].get("needs") or []
    for need in [needs] if isinstance(needs, str) else needs:
        if need in wf.jobs and need not in seen:
            seen.add(need)
            needed_jobs(wf, need, seen)
    return seen


def walk(node, path=()):
    """(path, string) for every string in a parsed document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, path + (i,))
    elif isinstance(node, str):
        yield path, node


def applying_jobs(wf):
    for job_id, job in wf.jobs.items():
        for i, step in enumerate(steps(job)):
            if terraform_commands(step, "apply") or terraform_commands(step, "destroy"):
                yield job_id, job, i
                break


# --- checks -------------------------------------------------------------------
# Each takes the list of workflows and returns a list of problems (strings).

def check_pinned(workflows):
    problems = []
    for wf in workflows:
        for job_id, job in wf.jobs.items():
            refs = [uses(s) for s in steps(job) if "uses" in s]
            if "uses" in job:  # a reusable workflow
                refs.append(str(job["uses"]))
            for ref in refs:
                if ref.startswith("./"):
                    continue
                if ref.startswith("docker://"):
                    if "@sha256:" not in ref:
                        problems.append(f"{wf.name}: {job_id}: {ref} is not pinned to a digest")
                    continue
                if not SHA_RE.match(ref):
                    problems.append(f"{wf.name}: {job_id}: {ref} is not pinned to a 40-hex commit SHA")
        for line in wf.text.splitlines():
            m = USES_LINE_RE.match(line)
            if m and not m.group(1).startswith("./") and not re.search(r"#\s*v\d", m.group(2)):
                problems.append(f"{wf.name}: `{line.strip()}` has no `# vX` version comment")
    return problems


def check_permissions(workflows):
    problems = []
    for wf in workflows:
        top = wf.doc.get("permissions")
        if isinstance(top, dict) and top.get("id-token") == "write":
            problems.append(f"{wf.name}: id-token: write at the top level (give it to the AWS jobs only)")
        for job_id, job in wf.jobs.items():
            perms = effective_permissions(wf, job)
            where = f"{wf.name}: {job_id}"
            if perms is None:
                problems.append(f"{where}: no permissions (top-level or per job)")
                continue
            if isinstance(perms, str):
                problems.append(f"{where}: permissions: {perms} (list the scopes)")
                continue
            for scope, level in perms.items():
                if level == "write" and not (scope == "id-token" and assumes_aws_role(job)):
                    problems.append(f"{where}: {scope}: write is not needed")
                elif level not in ("read", "none", "write"):
                    problems.append(f"{where}: {scope}: {level!r} is not a permission level")
            if assumes_aws_role(job) and perms.get("id-token") != "write":
                problems.append(f"{where}: assumes an AWS role without id-token: write")
            checks_out = any(action_name(s) == "actions/checkout" for s in steps(job))
            if checks_out and perms.get("contents") != "read":
                problems.append(f"{where}: checks out the code without contents: read")
    return problems


def check_secrets(workflows):
    problems = []
    for wf in workflows:
        for path, value in walk(wf.doc):
            if not SECRET_RE.search(value):
                continue
            ok = (len(path) == 6 and path[0] == "jobs" and path[2] == "steps"
                  and path[4] in ("with", "env"))
            if not ok:
                problems.append(f"{wf.name}: a secret at {'.'.join(map(str, path))} "
                                "(only in a step's with: or env:)")
        # Variables holding secrets must not be printed.
        wf_env = wf.doc.get("env") or {}
        for job_id, job in wf.jobs.items():
            job_env = job.get("env") or {}
            for step in steps(job):
                env = {**wf_env, **job_env, **(step.get("env") or {})}
                secret_vars = {k for k, v in env.items() if SECRET_RE.search(str(v))}
                for printer in ("echo", "printf"):
                    for args in commands(run_text(step), printer):
                        for var in secret_vars:
                            if any(re.search(r"\$\{?" + re.escape(var) + r"\b", a) for a in args):
                                problems.append(f"{wf.name}: {job_id}: {printer} prints ${var}, which holds a secret")
    return problems


def check_oidc(workflows):
    problems = []
    for wf in workflows:
        for path, value in walk(wf.doc):
            key = str(path[-1]) if path else ""
            if key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
                problems.append(f"{wf.name}: {key} set at {'.'.join(map(str, path))}: use OIDC")
        for job_id, job in wf.jobs.items():
            for step in steps(job):
                if action_name(step) != AWS_CREDENTIALS_ACTION:
                    continue
                with_ = step.get("with") or {}
                for key in ("aws-access-key-id", "aws-secret-access-key", "aws-session-token"):
                    if key in with_:
                        problems.append(f"{wf.name}: {job_id}: configure-aws-credentials with {key}: use role-to-assume")
                if not with_.get("role-to-assume"):
                    problems.append(f"{wf.name}: {job_id}: configure-aws-credentials without role-to-assume")
                role = str(with_.get("role-to-assume", ""))
                if DEPLOY_ROLE_SECRET in role and job.get("environment") not in (
                        "production", {"name": "production"}):
                    problems.append(f"{wf.name}: {job_id}: the deploy role outside the production environment")
            # Terraform against AWS needs the role first.
            uses_aws = assumes_aws_role(job)
            for step in steps(job):
                if (terraform_commands(step, "plan") or terraform_commands(step, "apply")) and not uses_aws:
                    problems.append(f"{wf.name}: {job_id}: runs terraform without assuming a role by OIDC")
                    break
    return problems


def check_saved_plan(workflows):
    problems = []
    for wf in workflows:
        for job_id, job in wf.jobs.items():
            job_steps = steps(job)
            for index, step in enumerate(job_steps):
                for args in terraform_commands(step, "destroy"):
                    problems.append(f"{wf.name}: {job_id}: terraform destroy (plan -destroy -out, then apply the plan)")
                for args in terraform_commands(step, "apply"):
                    where = f"{wf.name}: {job_id}"
                    bad = [a for a in args if a == "-auto-approve" or a.startswith("-auto-approve")
                           or a.startswith("-var") or a == "-destroy" or a.startswith("-replace")
                           or a.startswith("-target")]
                    if bad:
                        problems.append(f"{where}: terraform apply {' '.join(bad)} re-plans")
                    files = [a for a in args if not a.startswith("-")]
                    if len(files) != 1:
                        problems.append(f"{where}: terraform apply without a plan file")
                        continue
                    plan_file = os.path.basename(files[0])
                    problems += saved_plan_origin(wf, job_id, index, plan_file)
    return problems


def planned_files(job, before=None):
    """Basenames given to `terraform plan -out` in a job (up to step `before`)."""
    out = set()
    for step in steps(job)[:before]:
        for args in terraform_commands(step, "plan"):
            value = option_value(args, "-out")
            if value:
                out.add(os.path.basename(value))
    return out


def saved_plan_origin(wf, job_id, apply_index, plan_file):
    job = wf.jobs[job_id]
    where = f"{wf.name}: {job_id}"
    if plan_file in planned_files(job, apply_index):
        return []
    # Otherwise: a needed job planned it and uploaded it; this job downloads
    # that artifact by name, and verifies a checksum, before applying.
    needed = needed_jobs(wf, job_id)
    uploads = {}
    for need in needed:
        if plan_file in planned_files(wf.jobs[need]):
            for step in steps(wf.jobs[need]):
                if action_name(step) == "actions/upload-artifact":
                    uploads[str((step.get("with") or {}).get("name"))] = need
    if not uploads:
        return [f"{where}: applies {plan_file}, which no earlier step or needed job planned and uploaded"]
    download_at = None
    for i, step in enumerate(steps(job)[:apply_index]):
        if action_name(step) == "actions/download-artifact" and \
                str((step.get("with") or {}).get("name")) in uploads:
            download_at = i
    if download_at is None:
        return [f"{where}: applies {plan_file} without first downloading the artifact "
                f"{sorted(uploads)} the plan job uploaded"]
    planner = uploads[str(steps(job)[download_at]["with"]["name"])]
    for step in steps(job)[download_at + 1:apply_index]:
        if verifies_checksums(wf, job, step, planner):
            return []
    return [f"{where}: applies {plan_file} without checking the files against their "
            f"checksum list, and that list against the checksum the {planner} job recorded"]


def verifies_checksums(wf, job, step, planner):
    """The step checks the artifact's files against a checksum list (one
    `sha256sum --check`) and the list against the planner's recorded output
    (another, fed the variable that carries needs.<planner>.outputs.*)."""
    env = {**(wf.doc.get("env") or {}), **(job.get("env") or {}), **(step.get("env") or {})}
    carriers = [k for k, v in env.items() if f"needs.{planner}.outputs." in str(v)]
    script = run_text(step)
    checks = [a for a in commands(script, "sha256sum") if "-c" in a or "--check" in a]
    uses_recorded = any(re.search(r"\$\{?" + re.escape(k) + r"\b", script) for k in carriers)
    return len(checks) >= 2 and uses_recorded


def check_concurrency(workflows):
    problems = []
    groups = set()
    for wf in workflows:
        top = wf.doc.get("concurrency")
        for job_id, job, _ in applying_jobs(wf):
            where = f"{wf.name}: {job_id}"
            conc = job.get("concurrency", top)
            if not isinstance(conc, dict) or "group" not in conc:
                problems.append(f"{where}: applies without a concurrency group")
                continue
            if conc.get("cancel-in-progress") is not False:
                problems.append(f"{where}: concurrency must say cancel-in-progress: false")
            if "${{" in str(conc["group"]):
                problems.append(f"{where}: the apply group {conc['group']!r} is not one fixed name")
            groups.add(str(conc["group"]))
            if isinstance(top, dict) and top.get("cancel-in-progress") not in (False, None):
                problems.append(f"{wf.name}: the workflow's concurrency may cancel a run that applies")
    if len(groups) > 1:
        problems.append(f"applies hold different concurrency groups {sorted(groups)}: they could overlap")
    return problems


def destroys(wf):
    for job in wf.jobs.values():
        for step in steps(job):
            if terraform_commands(step, "destroy"):
                return True
            for args in terraform_commands(step, "plan"):
                if "-destroy" in args:
                    return True
    return False


def check_destroy_guard(workflows):
    problems = []
    for wf in workflows:
        if not destroys(wf):
            continue
        if wf.triggers != {"workflow_dispatch"}:
            problems.append(f"{wf.name}: destroys, so it must run by hand only (workflow_dispatch), "
                            f"not on {sorted(map(str, wf.triggers))}")
        dispatch = wf.on.get("workflow_dispatch") if isinstance(wf.on, dict) else None
        inputs = (dispatch or {}).get("inputs") or {}
        if not inputs:
            problems.append(f"{wf.name}: destroys without a confirmation input")
        for job_id, job in wf.jobs.items():
            if not (assumes_aws_role(job) or any(terraform_commands(s, "plan") for s in steps(job))):
                continue
            first = steps(job)[0] if steps(job) else {}
            if not compares_confirmation(wf, job, first, inputs):
                problems.append(f"{wf.name}: {job_id}: the first step must stop unless the input "
                                f"is exactly {CONFIRMATION}")
    return problems


def compares_confirmation(wf, job, step, inputs):
    """The step's script compares a variable carrying one of the inputs with
    the literal confirmation text (`[ "$X" != "destroy-production" ]`), and
    exits non-zero."""
    env = {**(wf.doc.get("env") or {}), **(job.get("env") or {}), **(step.get("env") or {})}
    carriers = [k for k, v in env.items()
                if any(re.search(rf"inputs\.{re.escape(n)}\b", str(v)) for n in inputs)]
    script = run_text(step)
    for var in carriers:
        ref = r'"?\$\{?' + re.escape(var) + r'\}?"?'
        lit = r'"?' + re.escape(CONFIRMATION) + r'"?'
        if re.search(rf"{ref}\s*!?=\s*{lit}|{lit}\s*!?=\s*{ref}", script) and \
                re.search(r"\bexit\s+[1-9]", script):
            return True
    return False


def check_ci(workflows):
    problems = []
    ci = [wf for wf in workflows if wf.name in ("ci.yml", "ci.yaml")]
    if not ci:
        return ["no .github/workflows/ci.yml"]
    wf = ci[0]
    if not {"pull_request", "push"} <= set(map(str, wf.triggers)):
        problems.append("ci.yml: must run on pull_request and push")
    runs = "\n".join(run_text(s) for j in wf.jobs.values() for s in steps(j))
    for needle, what in ((".ci/run", "the README's test command (.ci/run)"),
                         ("fmt -check -recursive", "terraform fmt -check -recursive"),
                         ("validate", "terraform validate")):
        if needle not in runs:
            problems.append(f"ci.yml: does not run {what}")
    paths = "\n".join(str((s.get("with") or {}).get("path", ""))
                      for j in wf.jobs.values() for s in steps(j)
                      if action_name(s) == "actions/upload-artifact")
    for needle in ("build/meson-logs", "build-sanitize/meson-logs"):
        if needle not in paths:
            problems.append(f"ci.yml: does not keep {needle} (test logs, screenshots) as an artifact")
    for j in wf.jobs.values():
        for s in steps(j):
            if action_name(s) == "actions/upload-artifact" and "always()" not in str(s.get("if", "")) \
                    and "cancelled()" not in str(s.get("if", "")):
                problems.append("ci.yml: the logs must be uploaded also when tests fail (if: !cancelled())")
    return problems


def as_list(value):
    return value if isinstance(value, list) else [value]


def check_deploy_policy(policy_text):
    try:
        policy = json.loads(policy_text)
    except ValueError as e:
        return [f"deploy-role-policy.json: not JSON ({e})"]
    problems = []
    for name in set(re.findall(r"\$\{(\w+)\}", policy_text)) - POLICY_PLACEHOLDERS:
        problems.append(f"deploy-role-policy.json: unknown placeholder ${{{name}}}")
    statements = as_list(policy.get("Statement", []))
    if not statements:
        problems.append("deploy-role-policy.json: no statements")
    for st in statements:
        sid = st.get("Sid", "?")
        where = f"deploy-role-policy.json: {sid}"
        if st.get("Effect") != "Allow":
            problems.append(f"{where}: Effect must be Allow")
        if "NotAction" in st or "NotResource" in st:
            problems.append(f"{where}: NotAction/NotResource grant everything else")
        actions = as_list(st.get("Action", []))
        resources = as_list(st.get("Resource", []))
        for action in actions:
            if action == "*" or action.endswith(":*"):
                problems.append(f"{where}: Action {action!r}")
        if "*" in resources:
            for action in actions:
                key = CONDITIONED_STAR_ACTIONS.get(action)
                conditioned = key and any(key in (block or {})
                                          for block in (st.get("Condition") or {}).values())
                if action not in UNSCOPABLE_READ_ACTIONS and not conditioned:
                    problems.append(f"{where}: {action} on Resource \"*\"")
        if sid.startswith("Read"):
            for action in actions:
                verb = action.split(":", 1)[-1]
                if not verb.startswith(READ_VERBS):
                    problems.append(f"{where}: {action} in a Read statement (the plan role only reads)")
    return problems


CHECKS = [
    ("pinned", check_pinned),
    ("permissions", check_permissions),
    ("secrets", check_secrets),
    ("oidc", check_oidc),
    ("saved-plan", check_saved_plan),
    ("concurrency", check_concurrency),
    ("destroy-guard", check_destroy_guard),
    ("ci", check_ci),
]

# --- self-test: one bad input per check ---------------------------------------

SHA = "0123456789abcdef0123456789abcdef01234567"

BAD_WORKFLOWS = {
    "pinned": """
on: push
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
""",
    "permissions": """
on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: true
""",
    "secrets": f"""
on: push
permissions: {{contents: read}}
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      TOKEN: ${{{{ secrets.TOKEN }}}}
    steps:
      - run: 'curl -H "Authorization: ${{{{ secrets.TOKEN }}}}" https://example.com'
      - run: echo "$TOKEN"
""",
    "oidc": f"""
on: push
permissions: {{contents: read, id-token: write}}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {{contents: read, id-token: write}}
    steps:
      - uses: aws-actions/configure-aws-credentials@{SHA} # v4.0.2
        with:
          aws-access-key-id: ${{{{ secrets.KEY }}}}
          aws-secret-access-key: ${{{{ secrets.SECRET }}}}
""",
    "saved-plan": f"""
on: push
permissions: {{}}
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions: {{contents: read}}
    steps:
      - run: terraform plan -out=plan.tfplan
      - uses: actions/upload-artifact@{SHA} # v4.6.2
        with: {{name: terraform-plan, path: plan.tfplan}}
  apply:
    needs: plan
    runs-on: ubuntu-latest
    permissions: {{contents: read}}
    steps:
      - uses: actions/download-artifact@{SHA} # v4.3.0
        with: {{name: some-other-artifact}}
      - run: terraform apply -auto-approve -var-file=prod.tfvars
""",
    "concurrency": f"""
on: push
permissions: {{contents: read}}
concurrency:
  group: deploy
  cancel-in-progress: true
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: terraform plan -out=p.tfplan && terraform apply p.tfplan
""",
    "destroy-guard": f"""
on:
  push:
  workflow_dispatch:
    inputs:
      confirm: {{type: string}}
permissions: {{contents: read}}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "about to destroy"
      - run: terraform plan -destroy -out=d.tfplan
      - run: terraform apply d.tfplan
""",
    "ci": f"""
on: push
permissions: {{contents: read}}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: make
""",
}

# Second bad inputs for the checks whose failure has several shapes.
MORE_BAD_WORKFLOWS = [
    ("permissions", """
on: push
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {contents: read, id-token: write}
    steps:
      - run: true
"""),
    ("secrets", """
on: push
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - env:
          TOKEN: ${{ secrets.TOKEN }}
        run: printf '%s' "${TOKEN}" > token.txt
"""),
    ("saved-plan", f"""
on: push
permissions: {{}}
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions: {{contents: read}}
    outputs:
      checksum: ${{{{ steps.sum.outputs.sha256 }}}}
    steps:
      - run: terraform plan -out=plan.tfplan
      - uses: actions/upload-artifact@{SHA} # v4.6.2
        with: {{name: terraform-plan, path: plan.tfplan}}
  apply:
    needs: plan
    runs-on: ubuntu-latest
    permissions: {{contents: read}}
    steps:
      - uses: actions/download-artifact@{SHA} # v4.3.0
        with: {{name: terraform-plan}}
      - run: ls -l plan.tfplan
      - run: terraform apply plan.tfplan
"""),
    ("destroy-guard", """
on:
  workflow_dispatch:
    inputs:
      confirm: {type: string}
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - env:
          CONFIRM: ${{ inputs.confirm }}
        run: |
          echo "type destroy-production to confirm"
          [ "$CONFIRM" = yes ] || exit 1
      - run: terraform plan -destroy -out=d.tfplan && terraform apply d.tfplan
"""),
]

BAD_POLICIES = [
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::x"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Sid": "ReadX", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::x/*"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:CreateEventSourceMapping", "Resource": "*"}]}',
    '{"Version": "2012-10-17", "Statement": [',
]


def self_test():
    """(name, ok, problems) for each check fed its bad input."""
    results = []
    for name, check in CHECKS:
        wf_name = "ci.yml" if name == "ci" else f"bad-{name}.yml"
        problems = check([Workflow(wf_name, BAD_WORKFLOWS[name])])
        results.append((f"self-test: {name} rejects a bad workflow", bool(problems), problems))
    checks = dict(CHECKS)
    for name, text in MORE_BAD_WORKFLOWS:
        problems = checks[name]([Workflow(f"bad-{name}-2.yml", text)])
        results.append((f"self-test: {name} rejects another bad workflow", bool(problems), problems))
    for i, text in enumerate(BAD_POLICIES, 1):
        problems = check_deploy_policy(text)
        results.append((f"self-test: deploy-policy rejects bad policy {i}", bool(problems), problems))
    return results


def main(argv):
    root = Path(argv[1]) if len(argv) > 1 else Path(
        os.environ.get("DBT_SOURCE_ROOT", Path(__file__).resolve().parent.parent))
    wf_dir = root / ".github" / "workflows"
    files = sorted(list(wf_dir.glob("*.yml")) + list(wf_dir.glob("*.yaml")))
    workflows = [Workflow(f.name, f.read_text(encoding="utf-8")) for f in files]

    results = []
    if not workflows:
        results.append(("workflows found under .github/workflows", False, [str(wf_dir)]))
    for wf in workflows:
        results.append((f"parses: {wf.name}", wf.error is None, [wf.error]))
    for name, check in CHECKS:
        problems = check(workflows)
        results.append((f"{name}: {', '.join(w.name for w in workflows)}", not problems, problems))
    policy = root / "terraform" / "deploy-role-policy.json"
    problems = check_deploy_policy(policy.read_text(encoding="utf-8")) if policy.exists() \
        else [f"no {policy}"]
    results.append(("deploy-policy: terraform/deploy-role-policy.json", not problems, problems))
    results += self_test()

    passed = failed = 0
    for n, (title, ok, problems) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {title}")
        if ok:
            passed += 1
        else:
            failed += 1
            for p in problems or ["the check found nothing wrong"]:
                print(f"#   {p}")
    print(f"1..{len(results)}")
    print(f"# {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
