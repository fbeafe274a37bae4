#!/usr/bin/env python3
"""Reads cloud-init/manifest.yaml the way the infra program does, for tests.

  manifest.py check <cloud-init dir> <contracts.md>
      every source exists, every {{placeholder}} is a contract name, the
      template flag matches the file, and every file in cloud-init/ is listed
  manifest.py install <cloud-init dir> <root dir> [mode]
      renders every file of the persistence mode (default snapshots) with
      sample values into <root dir>/<path>
The user-data itself is assembled and schema-checked by infra (infra/test/cloudConfig.test.ts).
"""
import os
import re
import sys

import yaml

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
SAMPLE = {
    "stack": "dev",
    "region": "eu-west-1",
    "data_volume_id": "vol-0123456789abcdef0",
    "data_device_name": "/dev/sdf",
    "mount_point": "/opt/openclaw",
    "backup_bucket": "openclaw-backups-dev",
    "backup_prefix": "dev/",
    "backup_interval_minutes": "20",
    "openclaw_image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/openclaw:latest",
    "ssm_env_parameter": "/openclaw/dev/env",
    "log_group_prefix": "/openclaw/dev",
    "auto_approve_devices": "false",
    "persistence": "snapshots",
    "gateway_port": "18789",
}
MODES = ("snapshots", "ephemeral")
UNLISTED = {"manifest.yaml", "README.md"}


def load(base):
    with open(os.path.join(base, "manifest.yaml")) as f:
        return yaml.safe_load(f)


def in_mode(entry, mode):
    return not isinstance(entry, dict) or mode in entry.get("modes", MODES)


def argv_of(entry):
    return entry["command"] if isinstance(entry, dict) else entry


def for_mode(manifest, mode):
    """The files and commands of one persistence mode, as infra/src/cloudInit/manifest.ts picks them."""
    if mode not in MODES:
        raise SystemExit(f"unknown persistence mode {mode}; accepted: {', '.join(MODES)}")
    return {
        "packages": manifest["packages"],
        "files": [e for e in manifest["files"] if in_mode(e, mode)],
        "runcmd": [argv_of(e) for e in manifest["runcmd"] if in_mode(e, mode)],
    }


def contract_names(contracts):
    text = open(contracts).read()
    start = text.index("Template placeholders are")
    end = text.index("Rendering fails", start)
    return set(re.findall(r"`([a-z_]+)`", text[start:end])) - {"name"}


def render(text, values):
    def fill(match):
        name = match.group(1)
        if name not in values:
            raise SystemExit(f"unknown or unfilled placeholder {{{{{name}}}}}")
        return values[name]

    return PLACEHOLDER.sub(fill, text)


def content(base, entry, mode="snapshots"):
    text = open(os.path.join(base, entry["source"])).read()
    values = dict(SAMPLE, persistence=mode)
    if mode == "ephemeral":
        values.update(data_volume_id="none", backup_bucket="none")
    return render(text, values) if entry["template"] else text


def check(base, contracts):
    manifest, names, errors = load(base), contract_names(contracts), []
    listed = set()
    for entry in manifest["files"]:
        for key in ("source", "path", "permissions", "template"):
            if key not in entry:
                errors.append(f"{entry}: missing {key}")
        src = os.path.join(base, entry["source"])
        listed.add(os.path.normpath(entry["source"]))
        if not os.path.isfile(src):
            errors.append(f"{entry['source']}: listed in the manifest but missing")
            continue
        if not re.fullmatch(r"0[0-7]{3}", str(entry["permissions"])):
            errors.append(f"{entry['source']}: permissions must be a quoted octal string")
        used = set(PLACEHOLDER.findall(open(src).read()))
        for name in sorted(used - names):
            errors.append(f"{entry['source']}: placeholder {{{{{name}}}}} is not in docs/contracts.md")
        if bool(used) != bool(entry["template"]):
            errors.append(f"{entry['source']}: template is {entry['template']} but it uses {sorted(used)}")
    for root, _, files in os.walk(base):
        for name in files:
            rel = os.path.normpath(os.path.relpath(os.path.join(root, name), base))
            if rel not in listed and rel not in UNLISTED:
                errors.append(f"{rel}: in cloud-init/ but not in the manifest")
    if not manifest.get("packages") or not manifest.get("runcmd"):
        errors.append("manifest needs packages and runcmd")
    for entry in manifest["files"] + manifest.get("runcmd", []):
        if isinstance(entry, dict) and not set(entry.get("modes", MODES)) <= set(MODES):
            errors.append(f"{entry}: modes must be among {', '.join(MODES)}")
    for cmd in manifest.get("runcmd", []):
        cmd = argv_of(cmd) if isinstance(cmd, dict) and "command" in cmd else cmd
        if not (isinstance(cmd, list) and all(isinstance(w, str) for w in cmd)):
            errors.append(f"runcmd entry {cmd!r} is not a list of strings")
    print("\n".join(errors))
    return 1 if errors else 0


def install(base, root, mode="snapshots"):
    for entry in for_mode(load(base), mode)["files"]:
        dest = os.path.join(root, entry["path"].lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "w") as f:
            f.write(content(base, entry, mode))
        os.chmod(dest, int(str(entry["permissions"]), 8))
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    sys.exit({"check": check, "install": install}[command](*rest))
