#!/usr/bin/env python3
"""Security of what terraform/ plans: least-privilege IAM and encryption at
rest, read from `terraform show -json` of a saved plan.

usage:
  local-stack with -- test-security-plan.py HANDLER_ZIP   the real plans
  test-security-plan.py --self-test                        the checker alone

The real run applies terraform/ to the private local stack once (so every
ARN in the policies is known, not "known after apply"), then saves two
plans against it with `terraform-local.sh plan -- -out=FILE` and checks
each:

  production-like  a customer managed KMS key and an ops address (the
                   variant that adds the key statement and the ops topic);
                   its prior state is the applied local configuration
  ops-without-key  an ops address and no KMS key

IAM. Every policy document anywhere in a plan is checked: each string value
of any resource or data source that parses as a JSON policy (inline role
policies, managed policies, assume-role policies, rendered
aws_iam_policy_document JSON, resource policies). In each Allow statement:

  - Action / NotAction: no entry contains "*" (exact actions only, no
    "service:*", no "s3:Get*");
  - NotAction and NotResource are not used at all (they allow everything
    but what they list);
  - Resource: no entry is "*"; every entry is an ARN; its account field is
    not "*" (any account); and its resource part (after the fifth ":") is
    not made of wildcards and separators alone ("arn:aws:sns:*:*:*",
    "arn:aws:s3:::*", "arn:aws:logs:r:a:*"). A wildcard under a named
    resource is scoped and allowed: "<table arn>/stream/*",
    "<log group arn>:log-stream:*";
  - Principal is not "*" nor {"AWS": "*"}, unless a condition pins
    aws:SourceOwner / SourceAccount / PrincipalAccount / PrincipalOrgID /
    SourceArn to values without wildcards (AWS's default topic policy,
    read back into the state, is "*" with AWS:SourceOwner = the account).

Encryption (failures):
  aws_dynamodb_table   server_side_encryption { enabled = true }
  aws_sns_topic        kms_master_key_id set
  aws_sqs_queue        sqs_managed_sse_enabled, or kms_master_key_id set
  aws_s3_bucket        an aws_s3_bucket_server_side_encryption_configuration
                       for it with a default algorithm
Reported only: aws_cloudwatch_log_group kms_key_id and aws_lambda_function
kms_key_arn (both are encrypted by the service without them).

One exception, documented in terraform/alarms.tf: the ops topic without a
customer managed key is not encrypted, because CloudWatch cannot publish to
a topic under the AWS managed key alias/aws/sns. It is reported, not failed,
and only for that address and only when no key is configured.

Each check is shown able to fail: the real plan is copied in memory, broken
in one way per check ("*" action, "*" resource, service-wide ARN,
NotAction, "*" principal, unencrypted table, topic, queue and bucket), and
the checker must report each break. --self-test does the same on a small
synthetic plan and the ARN rule on a table of cases.
"""
import copy
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

results = []


def check(condition, description, detail=None):
    results.append(bool(condition))
    print("%s %d - %s" % ("ok" if condition else "not ok", len(results), description), flush=True)
    if not condition and detail:
        for line in json.dumps(detail, indent=1, default=str).splitlines()[:60]:
            print("#   " + line, flush=True)
    return bool(condition)


def note(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


def finish():
    print("1..%d" % len(results), flush=True)
    sys.exit(0 if results and all(results) else 1)


# --- walking a plan ----------------------------------------------------------

def _module_resources(module):
    """Every resource of a planned_values/prior_state module, recursively."""
    if not module:
        return
    for resource in module.get("resources", []):
        yield resource
    for child in module.get("child_modules", []):
        yield from _module_resources(child)


def plan_resources(plan):
    """[(source, address, type, mode, values)] from the plan's prior state,
    planned values and the changes' "after" (a data source read during
    the plan is only in the last)."""
    found = []
    for source, module in (("prior_state", (plan.get("prior_state") or {}).get("values", {}).get("root_module")),
                           ("planned_values", (plan.get("planned_values") or {}).get("root_module"))):
        for r in _module_resources(module):
            found.append((source, r["address"], r["type"], r.get("mode", "managed"), r.get("values") or {}))
    for change in plan.get("resource_changes", []):
        after = (change.get("change") or {}).get("after")
        if isinstance(after, dict):
            found.append(("resource_changes", change["address"], change["type"], change.get("mode", "managed"),
                          after))
    return found


def _strings(value, path=""):
    """(attribute path, string) for every string inside @value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, "%s.%s" % (path, k) if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, "%s[%d]" % (path, i))


def policy_documents(plan):
    """{(address, attribute): document} for every JSON policy in the plan
    (deduplicated: the same document seen in several sections once)."""
    documents = {}
    for source, address, rtype, mode, values in plan_resources(plan):
        for attribute, text in _strings(values):
            text = text.strip()
            if not text.startswith("{") or "Statement" not in text:
                continue
            try:
                document = json.loads(text)
            except ValueError:
                continue
            if isinstance(document, dict) and "Statement" in document:
                documents.setdefault((address, attribute, text), document)
    # A policy document whose inputs change in this plan is read at apply
    # time: its JSON is unknown, its statement blocks are in the change.
    for change in plan.get("resource_changes", []):
        after = (change.get("change") or {}).get("after")
        if change["type"] == "aws_iam_policy_document" and isinstance(after, dict) and after.get("json") is None:
            document = {"Statement": [_statement_of_block(b) for b in after.get("statement") or []]}
            documents.setdefault((change["address"], "statement (read at apply)", json.dumps(document)), document)
    return {(a, attr): d for (a, attr, _), d in documents.items()}


def _statement_of_block(block):
    """An aws_iam_policy_document statement block as an IAM statement."""
    statement = {"Effect": block.get("effect") or "Allow"}
    if block.get("sid"):
        statement["Sid"] = block["sid"]
    for key, name in (("actions", "Action"), ("not_actions", "NotAction"),
                      ("resources", "Resource"), ("not_resources", "NotResource")):
        if block.get(key) is not None:
            statement[name] = block[key]
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(key):
            statement[name] = {p["type"]: p["identifiers"] for p in block[key]}
    if block.get("condition"):
        statement["Condition"] = {}
        for c in block["condition"]:
            statement["Condition"].setdefault(c["test"], {})[c["variable"]] = c["values"]
    return statement


# --- the IAM rules -------------------------------------------------------------

def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def resource_problem(resource):
    """Why @resource (one Resource entry) is too wide, or None."""
    if not isinstance(resource, str):
        return "not a string: %r" % (resource,)
    if resource.strip() == "*":
        return '"*"'
    parts = resource.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return "not an ARN: %s" % resource
    _, partition, service, region, account, rest = parts
    if not partition or not service or "*" in partition or "*" in service:
        return "wildcard partition or service: %s" % resource
    if rest.strip("*?/:") == "":
        return "service-wide wildcard: %s" % resource
    if account == "*":
        return "any account: %s" % resource
    return None


# Condition keys that confine a "*" principal to one account, organisation
# or source (AWS's default SNS topic policy: AWS:SourceOwner = the account).
CONFINING_CONDITION_KEYS = {"aws:sourceowner", "aws:sourceaccount", "aws:principalaccount",
                            "aws:principalorgid", "aws:sourcearn"}


def limited_to_account(condition):
    """Whether @condition pins a confining key to values without wildcards."""
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, dict) or "IfExists" in operator or operator.startswith("ForAnyValue"):
            continue
        for key, values in tests.items():
            values = _as_list(values)
            if key.lower() in CONFINING_CONDITION_KEYS and values and \
                    all(isinstance(v, str) and v and "*" not in v and "?" not in v for v in values):
                return True
    return False


def statement_problems(statement):
    """Why an IAM statement is too wide: [text]."""
    problems = []
    if not isinstance(statement, dict):
        return ["statement is not an object"]
    if statement.get("Effect", "Allow") != "Allow":
        return []      # a Deny may be as wide as it likes
    for key in ("NotAction", "NotResource"):
        if key in statement:
            problems.append("%s in an Allow statement (allows everything but what it lists)" % key)
    for key in ("Action", "NotAction"):
        for action in _as_list(statement.get(key)):
            if not isinstance(action, str) or "*" in action:
                problems.append("%s %r has a wildcard" % (key, action))
    if "Action" not in statement and "NotAction" not in statement:
        problems.append("no Action")
    for key in ("Resource", "NotResource"):
        for resource in _as_list(statement.get(key)):
            why = resource_problem(resource)
            if why:
                problems.append("%s %s" % (key, why))
    principal = statement.get("Principal")
    if (principal == "*" or (isinstance(principal, dict) and "*" in _as_list(principal.get("AWS")))) and \
            not limited_to_account(statement.get("Condition")):
        problems.append("Principal is anybody (*) and no condition limits it to an account or source")
    return problems


def check_iam(plan):
    """(statements checked, [violation]) over every policy of @plan."""
    violations, statements = [], 0
    for (address, attribute), document in sorted(policy_documents(plan).items()):
        for i, statement in enumerate(_as_list(document.get("Statement"))):
            statements += 1
            for problem in statement_problems(statement):
                sid = statement.get("Sid", "#%d" % i) if isinstance(statement, dict) else "#%d" % i
                violations.append("%s %s statement %s: %s" % (address, attribute, sid, problem))
    return statements, violations


# --- the encryption rules ------------------------------------------------------

# terraform/alarms.tf: CloudWatch cannot publish to a topic encrypted with
# the AWS managed key, so the ops topic is encrypted only with a customer
# managed key. Reported, not failed, for this address only.
UNENCRYPTED_WITHOUT_CMK = {
    "aws_sns_topic.ops[0]": "CloudWatch alarms cannot publish to a topic under alias/aws/sns (terraform/alarms.tf)",
}


def _first(values, name):
    block = values.get(name)
    if isinstance(block, list):
        return block[0] if block else {}
    return block or {}


def _planned(plan):
    """address → (type, values) of the planned state (what the plan leads to)."""
    return {address: (rtype, values)
            for source, address, rtype, mode, values in plan_resources(plan)
            if source == "planned_values" and mode == "managed"}


def check_encryption(plan, kms_configured):
    """(resources checked, [violation], [report]) over the planned state."""
    planned = _planned(plan)
    violations, reports, checked = [], [], 0
    sse_buckets = {}
    for address, (rtype, values) in planned.items():
        if rtype == "aws_s3_bucket_server_side_encryption_configuration":
            algorithms = [(_first(rule, "apply_server_side_encryption_by_default") or {}).get("sse_algorithm")
                          for rule in _as_list(values.get("rule"))]
            sse_buckets[values.get("bucket")] = [a for a in algorithms if a]
    for address, (rtype, values) in sorted(planned.items()):
        if rtype == "aws_dynamodb_table":
            checked += 1
            if _first(values, "server_side_encryption").get("enabled") is not True:
                violations.append("%s: server_side_encryption not enabled" % address)
        elif rtype == "aws_sns_topic":
            checked += 1
            if not values.get("kms_master_key_id"):
                if address in UNENCRYPTED_WITHOUT_CMK and not kms_configured:
                    reports.append("%s: not encrypted without a customer managed key: %s" %
                                   (address, UNENCRYPTED_WITHOUT_CMK[address]))
                else:
                    violations.append("%s: no kms_master_key_id" % address)
        elif rtype == "aws_sqs_queue":
            checked += 1
            if values.get("sqs_managed_sse_enabled") is not True and not values.get("kms_master_key_id"):
                violations.append("%s: neither sqs_managed_sse_enabled nor kms_master_key_id" % address)
        elif rtype == "aws_s3_bucket":
            checked += 1
            if not sse_buckets.get(values.get("bucket")):
                violations.append("%s: no aws_s3_bucket_server_side_encryption_configuration for bucket %s" %
                                  (address, values.get("bucket")))
        elif rtype == "aws_cloudwatch_log_group":
            checked += 1
            reports.append("%s: kms_key_id %s" % (address, values.get("kms_key_id") or "not set (CloudWatch Logs' own encryption)"))
        elif rtype == "aws_lambda_function":
            checked += 1
            reports.append("%s: environment kms_key_arn %s" %
                           (address, values.get("kms_key_arn") or "not set (Lambda's AWS managed key)"))
    return checked, violations, reports


def types_in(plan):
    return sorted({rtype for _, _, rtype, mode, _ in plan_resources(plan) if mode == "managed"})


# --- breaking a plan in memory --------------------------------------------------

def _each_values(plan, rtype=None, address=None):
    for source, a, t, mode, values in plan_resources(plan):
        if (rtype is None or t == rtype) and (address is None or a == address):
            yield values


def _edit_policies(plan, edit):
    """Applies @edit(document) to every inline role policy JSON of @plan."""
    edited = 0
    for values in _each_values(plan, "aws_iam_role_policy"):
        if isinstance(values.get("policy"), str) and values["policy"].strip().startswith("{"):
            document = json.loads(values["policy"])
            edit(document)
            values["policy"] = json.dumps(document)
            edited += 1
    return edited


def breaks():
    """name → (function that breaks a plan in place, text the violation must contain)."""
    def add_statement(statement):
        return lambda plan: _edit_policies(plan, lambda d: d["Statement"].append(statement))

    def trust_anybody(plan):
        n = 0
        for values in _each_values(plan, "aws_iam_role"):
            document = json.loads(values["assume_role_policy"])
            document["Statement"][0]["Principal"] = {"AWS": "*"}
            values["assume_role_policy"] = json.dumps(document)
            n += 1
        return n

    def table_unencrypted(plan):
        n = 0
        for values in _each_values(plan, "aws_dynamodb_table"):
            values["server_side_encryption"] = [{"enabled": False, "kms_key_arn": ""}]
            n += 1
        return n

    def topic_unencrypted(plan):
        n = 0
        for values in _each_values(plan, "aws_sns_topic", "aws_sns_topic.notifications"):
            values["kms_master_key_id"] = ""
            n += 1
        return n

    def queue_unencrypted(plan):
        n = 0
        for values in _each_values(plan, "aws_sqs_queue"):
            values["sqs_managed_sse_enabled"] = False
            values["kms_master_key_id"] = None
            n += 1
        return n

    def bucket_unencrypted(plan):
        n = 0
        for section in ("planned_values", "prior_state"):
            root = plan.get(section) or {}
            root = root.get("values", root).get("root_module") if section == "prior_state" else root.get("root_module")
            if root:
                before = len(root.get("resources", []))
                root["resources"] = [r for r in root.get("resources", [])
                                     if r["type"] != "aws_s3_bucket_server_side_encryption_configuration"]
                n += before - len(root["resources"])
        return n

    return {
        '"*" action': (add_statement({"Effect": "Allow", "Action": "*",
                                      "Resource": "arn:aws:sns:us-east-1:123456789012:t"}), "Action '*'"),
        '"service:*" action': (add_statement({"Effect": "Allow", "Action": ["sns:Publish", "dynamodb:*"],
                                              "Resource": "arn:aws:sns:us-east-1:123456789012:t"}),
                               "Action 'dynamodb:*'"),
        '"*" resource': (add_statement({"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}),
                         'Resource "*"'),
        "service-wide resource": (add_statement({"Effect": "Allow", "Action": "sns:Publish",
                                                 "Resource": ["arn:aws:sns:*:*:*"]}), "service-wide wildcard"),
        "NotAction": (add_statement({"Effect": "Allow", "NotAction": "iam:CreateUser",
                                     "Resource": "arn:aws:sns:us-east-1:123456789012:t"}), "NotAction in an Allow"),
        '"*" principal': (trust_anybody, "Principal is anybody"),
        "unencrypted table": (table_unencrypted, "server_side_encryption not enabled"),
        "unencrypted topic": (topic_unencrypted, "aws_sns_topic.notifications: no kms_master_key_id"),
        "unencrypted queue": (queue_unencrypted, "neither sqs_managed_sse_enabled"),
        "bucket without encryption configuration": (bucket_unencrypted, "no aws_s3_bucket_server_side_encryption"),
    }


def all_violations(plan, kms_configured):
    _, iam = check_iam(plan)
    _, encryption, _ = check_encryption(plan, kms_configured)
    return iam + encryption


def check_breaks(plan, kms_configured, label):
    """Each break of a copy of @plan must be reported; the intact plan not."""
    for name, (apply_break, expected) in breaks().items():
        broken = copy.deepcopy(plan)
        touched = apply_break(broken)
        found = [v for v in all_violations(broken, kms_configured) if expected in v]
        check(touched > 0 and found, "%s: a plan broken in memory (%s) fails the checker" % (label, name),
              {"touched": touched, "violations": all_violations(broken, kms_configured)[:10]})


# --- the self-test -----------------------------------------------------------------

ARN_CASES = [
    ("*", False),
    ("arn:aws:sns:*:*:*", False),
    ("arn:aws:s3:::*", False),
    ("arn:aws:logs:us-east-1:123456789012:*", False),
    ("arn:aws:dynamodb:us-east-1:123456789012:*/*", False),
    ("arn:aws:sqs:us-east-1:*:failed-batches", False),
    ("arn:*:sqs:us-east-1:123456789012:failed-batches", False),
    ("dbtrigger-items", False),
    ("arn:aws:dynamodb:us-east-1:123456789012:table/dbtrigger-items/stream/*", True),
    ("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/dbtrigger-handler:log-stream:*", True),
    ("arn:aws:sns:us-east-1:123456789012:dbtrigger-notifications", True),
    ("arn:aws:s3:::dbtrigger-code/*", True),
]
ACTION_CASES = [("*", False), ("sns:*", False), ("s3:Get*", False), ("sns:Publish", True)]


def synthetic_plan():
    """A small plan in the shape of `terraform show -json`, all good."""
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Publish", "Effect": "Allow", "Action": "sns:Publish",
         "Resource": "arn:aws:sns:us-east-1:123456789012:dbtrigger-notifications"},
        {"Sid": "Streams", "Effect": "Allow", "Action": ["dynamodb:ListStreams"],
         "Resource": ["arn:aws:dynamodb:us-east-1:123456789012:table/dbtrigger-items/stream/*"]},
        {"Sid": "Wide deny is fine", "Effect": "Deny", "Action": "*", "Resource": "*"}]}
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}
    resources = [
        {"address": "aws_iam_role.handler", "type": "aws_iam_role", "mode": "managed",
         "values": {"assume_role_policy": json.dumps(trust)}},
        {"address": "aws_iam_role_policy.handler", "type": "aws_iam_role_policy", "mode": "managed",
         "values": {"policy": json.dumps(policy)}},
        {"address": "aws_dynamodb_table.items", "type": "aws_dynamodb_table", "mode": "managed",
         "values": {"server_side_encryption": [{"enabled": True, "kms_key_arn": ""}]}},
        {"address": "aws_sns_topic.notifications", "type": "aws_sns_topic", "mode": "managed",
         "values": {"kms_master_key_id": "alias/aws/sns"}},
        {"address": "aws_sqs_queue.failed_batches", "type": "aws_sqs_queue", "mode": "managed",
         "values": {"sqs_managed_sse_enabled": True, "kms_master_key_id": None}},
        {"address": "aws_s3_bucket.code", "type": "aws_s3_bucket", "mode": "managed",
         "values": {"bucket": "dbtrigger-code"}},
        {"address": "aws_s3_bucket_server_side_encryption_configuration.code",
         "type": "aws_s3_bucket_server_side_encryption_configuration", "mode": "managed",
         "values": {"bucket": "dbtrigger-code",
                    "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}},
        {"address": "aws_cloudwatch_log_group.handler", "type": "aws_cloudwatch_log_group", "mode": "managed",
         "values": {"kms_key_id": None}},
    ]
    return {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}},
            "prior_state": {"values": {"root_module": {"resources": copy.deepcopy(resources)}}}}


def self_test():
    for resource, ok in ARN_CASES:
        check((resource_problem(resource) is None) == ok,
              "resource %s is %s" % (resource, "scoped" if ok else "refused"), resource_problem(resource))
    for action, ok in ACTION_CASES:
        problems = statement_problems({"Effect": "Allow", "Action": action,
                                       "Resource": "arn:aws:sns:us-east-1:123456789012:t"})
        check((not problems) == ok, "action %s is %s" % (action, "exact" if ok else "refused"), problems)
    for condition, ok in (({"StringEquals": {"AWS:SourceOwner": "123456789012"}}, True),
                          ({"StringLike": {"aws:SourceAccount": "*"}}, False),
                          ({"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}, False),
                          ({"StringEquals": {"aws:UserAgent": "x"}}, False), (None, False)):
        statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish",
                     "Resource": "arn:aws:sns:us-east-1:123456789012:t"}
        if condition:
            statement["Condition"] = condition
        problems = statement_problems(statement)
        check((not problems) == ok, 'principal "*" with condition %s is %s' %
              (json.dumps(condition), "confined" if ok else "refused"), problems)
    # A document read at apply time is checked in its statement blocks.
    deferred = {"resource_changes": [{"address": "data.aws_iam_policy_document.x", "type": "aws_iam_policy_document",
                                      "mode": "data", "change": {"after": {"json": None, "statement": [
                                          {"sid": "Wide", "effect": "Allow", "actions": ["s3:*"],
                                           "resources": ["*"], "principals": [], "condition": []}]}}}]}
    statements, iam = check_iam(deferred)
    check(statements == 1 and len(iam) == 2, "a document read at apply: its statement blocks are checked", iam)
    plan = synthetic_plan()
    statements, iam = check_iam(plan)
    checked, encryption, reports = check_encryption(plan, kms_configured=False)
    check(statements == 4 and not iam, "synthetic plan: 4 statements, none too wide", iam)
    check(checked == 5 and not encryption and len(reports) == 1,
          "synthetic plan: 5 resources checked, all encrypted, the log group reported", encryption + reports)
    check_breaks(plan, False, "synthetic")
    # The ops topic exception holds only without a key and only for its address.
    for address, kms, ok in (("aws_sns_topic.ops[0]", False, True), ("aws_sns_topic.ops[0]", True, False),
                             ("aws_sns_topic.other", False, False)):
        p = synthetic_plan()
        p["planned_values"]["root_module"]["resources"].append(
            {"address": address, "type": "aws_sns_topic", "mode": "managed", "values": {"kms_master_key_id": None}})
        _, violations, _ = check_encryption(p, kms)
        check((not violations) == ok, "unencrypted %s with%s a key: %s" %
              (address, "" if kms else "out", "reported" if ok else "fails"), violations)


# --- the real plans -------------------------------------------------------------

def terraform_env(stack_dir):
    env = dict(os.environ)
    env["TF_CLI_CONFIG_FILE"] = os.path.join(stack_dir, "terraform.rc")
    env["TF_DATA_DIR"] = os.path.join(stack_dir, "terraform", ".terraform")
    env["TF_IN_AUTOMATION"] = "1"
    return env


def run_logged(args, log_path, env=None):
    with open(log_path, "w") as log:
        rc = subprocess.run(args, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=600).returncode
    if rc not in (0, 2):
        with open(log_path) as f:
            note("%s failed (%d):\n%s" % (" ".join(args[:2]), rc, "".join(f.readlines()[-30:])))
    return rc


def saved_plan(stack_dir, handler_zip, name, variables):
    """terraform-local.sh plan -out, then show -json: the plan, or None."""
    plan_file = os.path.join(stack_dir, "%s.tfplan" % name)
    args = [os.path.join(TOP, "build-aux", "terraform-local.sh"), "plan", "--dir", stack_dir,
            "--zip", handler_zip, "--", "-no-color", "-out=%s" % plan_file]
    for k, v in variables.items():
        args += ["-var", "%s=%s" % (k, v)]
    started = time.monotonic()
    rc = run_logged(args, os.path.join(stack_dir, "%s-plan.log" % name))
    if rc not in (0, 2) or not os.path.exists(plan_file):
        return None
    shown = subprocess.run(["terraform", "-chdir=%s" % os.path.join(stack_dir, "terraform"), "show", "-json",
                            plan_file], capture_output=True, text=True, env=terraform_env(stack_dir), timeout=300)
    if shown.returncode != 0:
        note("terraform show -json failed: " + shown.stderr[-2000:])
        return None
    note("plan %s: %.0f s, exit %d (%s)" % (name, time.monotonic() - started, rc,
                                             "changes" if rc == 2 else "no changes"))
    return json.loads(shown.stdout)


PLANS = {
    "production-like": ({"kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                         "ops_email": "ops@example.com"}, True),
    "ops-without-key": ({"ops_email": "ops@example.com"}, False),
}


def real_plans(handler_zip):
    stack_dir = os.environ.get("DBT_STACK_DIR")
    if not stack_dir or not os.environ.get("AWS_ENDPOINT_URL"):
        print("1..0 # SKIP run under build-aux/local-stack with (or use --self-test)")
        sys.exit(77)
    if subprocess.run(["sh", "-c", "command -v terraform"], stdout=subprocess.DEVNULL).returncode != 0:
        print("1..0 # SKIP terraform is not installed")
        sys.exit(77)

    started = time.monotonic()
    rc = run_logged([os.path.join(TOP, "build-aux", "terraform-local.sh"), "apply", "--dir", stack_dir,
                     "--zip", handler_zip, "--", "-no-color"], os.path.join(stack_dir, "security-apply.log"))
    if not check(rc == 0, "terraform apply of environments/local.tfvars to the private stack"):
        finish()
    note("terraform apply: %.0f s" % (time.monotonic() - started))

    totals = {"statements": 0, "documents": 0, "resources": 0}
    for name, (variables, kms_configured) in PLANS.items():
        plan = saved_plan(stack_dir, handler_zip, name, variables)
        if not check(plan is not None, "%s: terraform plan -out and show -json" % name):
            continue
        documents = policy_documents(plan)
        statements, iam = check_iam(plan)
        checked, encryption, reports = check_encryption(plan, kms_configured)
        totals["statements"] += statements
        totals["documents"] += len(documents)
        totals["resources"] += checked
        note("%s: %d policy document(s): %s" % (name, len(documents),
                                                ", ".join(sorted({"%s %s" % k for k in documents}))))
        note("%s: resource types %s" % (name, ", ".join(types_in(plan))))
        # The documents a plan of this configuration must hold: the role's
        # trust policy and its inline policy, and the rendered documents.
        addresses = {address for address, _ in documents}
        check({"aws_iam_role.handler", "aws_iam_role_policy.handler",
               "data.aws_iam_policy_document.handler"} <= addresses,
              "%s: the handler's trust policy, inline policy and policy document are in the plan" % name,
              sorted(addresses))
        check(statements >= 8 and not iam, "%s: %d IAM statement(s), no wildcard action, no unscoped resource"
              % (name, statements), iam)
        # The role's new policy is read at apply when its inputs change, so
        # the key statement is looked for in the handler's policy document.
        key_statements = [s for (a, attr), d in documents.items() if a == "data.aws_iam_policy_document.handler"
                          for s in _as_list(d.get("Statement")) if s.get("Sid") == "UseCustomerManagedKey"]
        if kms_configured:
            check(key_statements and all(_as_list(s.get("Resource")) == [PLANS[name][0]["kms_key_arn"]]
                                         for s in key_statements),
                  "%s: the handler may use the configured key, and that key only" % name, key_statements)
        else:
            check(not key_statements, "%s: no key statement without a key" % name, key_statements)
        check(checked >= 7 and not encryption, "%s: %d encryptable resource(s), all encrypted" % (name, checked),
              encryption)
        for line in reports:
            note("%s: report: %s" % (name, line))
        check_breaks(plan, kms_configured, name)
    note("statements checked: %d (in %d policy documents), resources checked: %d" %
         (totals["statements"], totals["documents"], totals["resources"]))

    rc = run_logged([os.path.join(TOP, "build-aux", "terraform-local.sh"), "destroy", "--dir", stack_dir,
                     "--zip", handler_zip, "--", "-no-color"], os.path.join(stack_dir, "security-destroy.log"))
    check(rc == 0, "terraform destroy")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        finish()
    if len(sys.argv) != 2 or not os.path.isfile(sys.argv[1]):
        print("1..0 # SKIP usage: test-security-plan.py HANDLER_ZIP | --self-test")
        sys.exit(77)
    real_plans(os.path.abspath(sys.argv[1]))
    finish()


if __name__ == "__main__":
    main()
