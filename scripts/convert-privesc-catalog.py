#!/usr/bin/env python3
"""Convert the research catalog privesc-catalog.json (facts) into rules/privesc/methods.toml (our format).

Usage: scripts/convert-privesc-catalog.py CATALOG_JSON > rules/privesc/methods.toml

Only facts are taken over (ids, categories, action groups, the PassRole service); targets,
confidence and the explanation text are ours and live in the tables below.
"""
import json
import sys

if len(sys.argv) != 2:
    sys.exit("usage: scripts/convert-privesc-catalog.py CATALOG_JSON > rules/privesc/methods.toml")
SRC = sys.argv[1]

# Which resource the first group's action must reach to gain anything.
TARGET = {
    "iam-attach-user-policy": "self", "iam-put-user-policy": "self",
    "iam-attach-role-policy": "self", "iam-put-role-policy": "self",
    "iam-remove-permissions-boundary": "self", "iam-remove-deny-policy": "self",
    "iam-attach-group-policy": "member-group", "iam-put-group-policy": "member-group",
    "iam-create-policy-version": "customer-policy", "iam-set-default-policy-version": "customer-policy",
    "iam-create-access-key": "other", "iam-create-login-profile": "other",
    "iam-update-login-profile": "other", "iam-update-access-key": "other",
    "iam-service-specific-credential": "other", "iam-upload-ssh-public-key": "other",
    "iam-mfa-device-takeover": "other", "iam-user-policy-then-access-key": "other",
    "sts-assume-role": "other", "iam-update-assume-role-policy": "other",
}
# Methods that only pay off through a resource that already exists (an instance, a function, a
# dormant policy version, a role that trusts the caller): context-dependent without an inventory.
EXISTING = {
    "iam-set-default-policy-version", "iam-remove-deny-policy", "iam-update-access-key",
    "iam-service-specific-credential", "iam-upload-ssh-public-key", "iam-mfa-device-takeover",
    "secret-read-credential-exposure", "ec2-imds-downgrade", "sts-assume-role",
    "iam-federation-provider-tamper", "codestar-associate-team-member",
    "codestar-create-project-from-template", "codebuild-update-project-passrole",
}
# The new inline/attached policy lands on the caller itself, so its permissions boundary caps the gain.
CAPPED = {
    "iam-attach-user-policy", "iam-put-user-policy", "iam-attach-role-policy", "iam-put-role-policy",
    "iam-attach-group-policy", "iam-put-group-policy", "iam-add-user-to-group",
    "iam-create-policy-version", "iam-set-default-policy-version", "iam-remove-deny-policy",
}
# Request parameters the attack needs, as condition-key values the request carries.
CONTEXT = {"codebuild-start-build-override": {"codebuild:source.buildspec": "attacker-buildspec"}}
# Other requests the attack makes that the caller must also be allowed (action, resource format).
ALSO = {
    "ssm-send-command": [["ssm:SendCommand", "arn:aws:ssm:${Region}::document/AWS-RunShellScript"]],
    "ssm-start-session": [["ssm:StartSession", "arn:aws:ssm:${Region}:${Account}:document/SSM-SessionManagerRunShell"]],
}
SERVICE_FIX = {
    "iam-instance-profile-role-swap": "ec2.amazonaws.com",
    "apprunner-create-service-passrole": "apprunner.amazonaws.com",
    "bedrock-agentcore-code-interpreter-passrole": "bedrock-agentcore.amazonaws.com",
}
# Service principals the passed role must trust, where they differ from the `iam:PassedToService` value.
TRUSTED_BY = {"apprunner-create-service-passrole": ["tasks.apprunner.amazonaws.com"]}
# Methods of ours the catalog lacks, inserted before the method they are listed with.
EXTRA = {
    "ssm-send-command": {
        "id": "ssm-start-automation-passrole", "category": "passrole-new-compute",
        "requires": [["iam:PassRole"], ["ssm:StartAutomationExecution"]],
        "passed_to_service": "ssm.amazonaws.com",
    },
}

WHAT = {
    "self-escalation-iam": "the caller can rewrite its own IAM permissions",
    "trust-policy-modification": "the caller can get into a role by changing or using its trust",
    "credential-access": "the caller can obtain credentials of another principal",
    "passrole-new-compute": "the caller can start new compute that runs with a role it passes",
    "existing-resource-hijack": "the caller can run its own code inside a resource that already has a role",
}
STEPS = {
    "self-escalation-iam": "grant itself any permission",
    "trust-policy-modification": "act as that role",
    "credential-access": "sign in or call APIs as that principal",
    "passrole-new-compute": "use whatever the passed role may do",
    "existing-resource-hijack": "use whatever the resource's role may do",
}


def q(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    data = json.load(open(SRC))
    out = ["# Privilege-escalation methods, converted by scripts/convert-privesc-catalog.py from",
           "# privesc-catalog.json (facts: ids, categories, action groups, PassRole service).",
           "# `requires`: AND over groups, OR inside a group. `target`: what the first group's action must",
           "# reach (self | member-group | customer-policy | other | any). `needs`: none | passable-role |",
           "# existing-resource. Users add methods of the same shape as [[escalation]] in iamlint.toml (docs/invariants.md).",
           ""]
    listed = []
    for m in data["methods"]:
        if m["id"] in EXTRA:
            listed.append(EXTRA[m["id"]])
        listed.append(m)
    for m in listed:
        mid = m["id"]
        groups = m["requires"]
        pts = m.get("passed_to_service") or ""
        svc = SERVICE_FIX.get(mid) or (pts.split()[0] if pts.split() and pts.split()[0].endswith(".amazonaws.com") else "")
        has_pass = any("iam:PassRole" in g for g in groups)
        if mid in EXISTING or m["category"] == "existing-resource-hijack":
            needs = "existing-resource"
        elif has_pass:
            needs = "passable-role"
        else:
            needs = "none"
        key = [a for g in groups for a in g if a != "iam:PassRole"][:3]
        summary = f"{WHAT[m['category']]} ({', '.join('`'+k+'`' for k in key)}) and so {STEPS[m['category']]}"
        out.append("[[method]]")
        out.append(f"id = {q(mid)}")
        out.append(f"category = {q(m['category'])}")
        out.append("requires = [" + ", ".join("[" + ", ".join(q(a) for a in g) + "]" for g in groups) + "]")
        if has_pass and svc:
            out.append(f"passed_to_service = {q(svc)}")
        if mid in TRUSTED_BY:
            out.append("trusted_by = [" + ", ".join(q(t) for t in TRUSTED_BY[mid]) + "]")
        out.append(f"target = {q(TARGET.get(mid, 'any'))}")
        out.append(f"needs = {q(needs)}")
        if mid in CAPPED:
            out.append("capped_by_boundary = true")
        for k, v in CONTEXT.get(mid, {}).items():
            out.append(f"context = {{ {q(k)} = {q(v)} }}")
        if mid in ALSO:
            out.append("also = [" + ", ".join("[" + q(a) + ", " + q(r) + "]" for a, r in ALSO[mid]) + "]")
        out.append(f"summary = {q(summary)}")
        out.append("")
    sys.stdout.write("\n".join(out))


main()
