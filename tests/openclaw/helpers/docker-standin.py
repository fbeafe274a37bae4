#!/usr/bin/env python3
"""A stand-in for the few docker commands the instance scripts use, running the
real OpenClaw from the test cache instead of the image, as root.

  docker compose -f FILE up [flags]            the service in the foreground; exit code = the gateway's
  docker compose -f FILE run [flags] SVC CMD…  a one-off container with the same mounts
  docker compose -f FILE stop [flags]          SIGTERM to the running gateway
  docker ps --quiet --filter name=^N$ --filter status=running
  docker exec [--interactive] [--tty] NAME CMD…  CMD inside the running container
  docker image inspect IMAGE                   the image is always there (it is the test cache)
  docker run --rm [--pull never] [--network none] [--user U:G] [--security-opt O]
             [--env K=V] [--mount type=bind,source=S,target=T[,readonly]]… IMAGE CMD…
                                               a throwaway container (openclaw-archive.sh)

A "container" is a process in its own mount and network namespaces (unshare):
loopback only, so the published port never meets another test's; /run, /home
and /tmp are private tmpfs; every bind volume of the compose file is mounted at
its target (read-only where the file says so), the compose `environment`,
`user`, `entrypoint`, `command` and `no-new-privileges` are used as written.
Host paths of the compose file are looked up under $OPENCLAW_TEST_ROOT (the
installed manifest tree, whose mount point holds the loop-mounted data volume);
`docker run --mount` sources are used as given (the scripts that call it
already point at the volume through $OPENCLAW_MOUNT_POINT); `docker run` has
no entrypoint (the image's default) and loopback only (`--network none`).
What stands in for the image: $OPENCLAW_TEST_PACKAGE (its /app) and the
cached Node on PATH.
Calls are appended to $DOCKER_STANDIN_STATE/calls; pids are kept there too.
"""
import os
import shlex
import signal
import subprocess
import sys
import time

import yaml

ROOT = os.environ["OPENCLAW_TEST_ROOT"]
STATE = os.environ["DOCKER_STANDIN_STATE"]
PACKAGE = os.environ["OPENCLAW_TEST_PACKAGE"]
NODE = os.environ["OPENCLAW_TEST_NODE"]
IMAGE = "/run/.image"
WORKDIR = f"{IMAGE}/node_modules/openclaw"
IMAGE_PATH = f"{IMAGE}/node/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def host(path):
    return os.path.join(ROOT, path.lstrip("/"))


def pid_file(name):
    return os.path.join(STATE, f"{name}.pid")


def running_pid(name):
    try:
        pid = int(open(pid_file(name)).read())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def service(compose_file):
    doc = yaml.safe_load(open(compose_file))
    (name, svc), = doc["services"].items()
    return name, svc


def environment(svc):
    env = {"PATH": IMAGE_PATH}
    env.update({k: str(v) for k, v in (svc.get("environment") or {}).items()})
    return [f"{k}={v}" for k, v in env.items()]


def user(svc):
    uid, _, gid = str(svc.get("user", "0:0")).partition(":")
    nnp = ["--no-new-privs"] if "no-new-privileges:true" in (svc.get("security_opt") or []) else []
    return ["setpriv", f"--reuid={uid}", f"--regid={gid or uid}", "--clear-groups"] + nnp


def mount_script(svc, pid_path, source_path=host):
    """Shell run inside the new namespaces: mounts, then exec of the process."""
    lines = [
        "set -eu",
        f"echo $$ > {shlex.quote(pid_path)}" if pid_path else ":",
        "ip link set lo up",
        "mount -t tmpfs -o mode=0755 container-run /run",
        "mount -t tmpfs -o mode=0755 container-home /home",
        f"mkdir -p {IMAGE}/node {IMAGE}/node_modules",
        f"mount --bind -o ro {shlex.quote(os.path.dirname(os.path.dirname(NODE)))} {IMAGE}/node",
        f"mount --bind -o ro {shlex.quote(os.path.dirname(PACKAGE))} {IMAGE}/node_modules",
    ]
    home = (svc.get("environment") or {}).get("HOME")
    uid = str(svc.get("user", "0:0")).split(":")[0]
    if home:
        lines.append(f"mkdir -p {shlex.quote(home)} && chown {uid}:{uid} {shlex.quote(home)}")
    for volume in svc.get("volumes", []):
        assert volume["type"] == "bind", volume
        source, target = source_path(volume["source"]), volume["target"]
        if not os.path.exists(source):
            sys.exit(f"docker-standin: bind source {volume['source']} ({source}) does not exist")
        make = "mkdir -p" if os.path.isdir(source) else "mkdir -p \"$(dirname {0})\" && touch".format(shlex.quote(target))
        lines.append(f"[ -e {shlex.quote(target)} ] || {make} {shlex.quote(target)}")
        lines.append(f"mount --bind {shlex.quote(source)} {shlex.quote(target)}")
        if volume.get("read_only"):
            lines.append(f"mount -o remount,bind,ro {shlex.quote(target)}")
    # Last: /tmp goes private once every source under it is mounted.
    lines += ["mount -t tmpfs -o mode=1777 container-tmp /tmp", f"cd {WORKDIR}", 'exec "$@"']
    return "\n".join(lines)


def run_container(svc, argv, name=None, source_path=host):
    entrypoint = svc.get("entrypoint") or []
    command = argv if argv is not None else svc["command"]
    process = user(svc) + ["env", "-i"] + environment(svc) + list(entrypoint) + list(command)
    pid_path = pid_file(name) if name else None
    script = mount_script(svc, pid_path, source_path)
    child = subprocess.Popen(["unshare", "--mount", "--net", "--propagation", "private", "--fork",
                              "sh", "-c", script, "container"] + process)
    forward = lambda signum, _: child.send_signal(signum)  # noqa: E731
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    code = child.wait()
    if pid_path and os.path.exists(pid_path):
        os.unlink(pid_path)
    return code if code >= 0 else 128 - code


def compose(args):
    assert args[0] == "-f", args
    name, svc = service(args[1])
    sub, rest = args[2], args[3:]
    if sub == "up":
        return run_container(svc, None, svc.get("container_name", name))
    if sub == "run":
        while rest and rest[0].startswith("-"):
            rest = rest[1:]
        assert rest[0] == name, rest
        return run_container(svc, rest[1:])
    if sub == "stop":
        pid = running_pid(svc.get("container_name", name))
        if pid:
            os.kill(pid, signal.SIGTERM)
        return 0
    if sub == "pull":
        return 0
    sys.exit(f"docker-standin: compose {sub} is not supported")


def ps(args):
    names = [a[len("name=^"):-1] for a in args if a.startswith("name=^")]
    for name in names:
        pid = running_pid(name)
        if pid:
            print(f"standin{pid}")
    return 0


def exec_(args):
    while args and args[0].startswith("-"):
        args = args[1:]
    name, command = args[0], args[1:]
    pid = running_pid(name)
    if not pid:
        print(f"Error response from daemon: container {name} is not running", file=sys.stderr)
        return 1
    compose_file = open(os.path.join(STATE, f"{name}.compose")).read()
    _, svc = service(compose_file)
    argv = ["nsenter", f"--target={pid}", "--mount", "--net", "--wd"] + user(svc) + ["env", "-i"] + environment(svc) + command
    return subprocess.call(argv)


def image(args):
    if args[:1] == ["inspect"] and len(args) == 2:
        print(f'[{{"RepoTags": ["{args[1]}"]}}]')
        return 0
    sys.exit(f"docker-standin: image {shlex.join(args)} is not supported")


def run(args):
    """docker run: the flags openclaw-archive.sh passes, then IMAGE and the command."""
    svc = {"user": "0:0", "environment": {}, "volumes": [], "security_opt": []}
    with_value = {"--pull", "--network", "--user", "--security-opt", "--env", "--mount"}
    while args and args[0].startswith("-"):
        flag, args = args[0], args[1:]
        if flag == "--rm":
            continue
        if flag not in with_value:
            sys.exit(f"docker-standin: run {flag} is not supported")
        value, args = args[0], args[1:]
        if flag == "--user":
            svc["user"] = value
        elif flag == "--security-opt":
            svc["security_opt"].append(value)
        elif flag == "--env":
            key, _, val = value.partition("=")
            svc["environment"][key] = val
        elif flag == "--mount":
            fields = dict(f.partition("=")[::2] for f in value.split(","))
            assert fields.pop("type") == "bind", value
            svc["volumes"].append({"type": "bind", "source": fields.pop("source"), "target": fields.pop("target"),
                                   "read_only": fields.pop("readonly", None) is not None})
            assert not fields, value
        elif (flag, value) not in {("--pull", "never"), ("--network", "none")}:
            sys.exit(f"docker-standin: run {flag} {value} is not supported")
    _image, command = args[0], args[1:]
    return run_container(svc, command, source_path=lambda path: path)


def main(argv):
    os.makedirs(STATE, exist_ok=True)
    with open(os.path.join(STATE, "calls"), "a") as log:
        log.write(shlex.join(argv) + "\n")
    if argv[0] == "compose":
        if argv[3] == "up":
            _, svc = service(argv[2])
            with open(os.path.join(STATE, f"{svc.get('container_name')}.compose"), "w") as f:
                f.write(argv[2])
        return compose(argv[1:])
    if argv[0] == "ps":
        return ps(argv[1:])
    if argv[0] == "exec":
        return exec_(argv[1:])
    if argv[0] == "image":
        return image(argv[1:])
    if argv[0] == "run":
        return run(argv[1:])
    sys.exit(f"docker-standin: {argv[0]} is not supported")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
