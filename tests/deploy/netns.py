"""Several portal nodes on one machine: network namespaces on a bridge, each its own host.

Layout (all addresses private to this machine, nothing leaves it):
    host bridge  <prefix>.1   nginx listens on 127.0.0.1; socat forwards the bridge address
                              to the loopback PostgreSQL, Redis and S3 server
    namespace 1  <prefix>.2   gunicorn node A
    namespace 2  <prefix>.3   gunicorn node B
    namespace 3  <prefix>.4   Celery worker
Each namespace has only its loopback and one veth leg on the bridge, so a node reaches the
shared services exactly as a second machine would: over the network, by address.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path


def sh(*command: str) -> None:
    run = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, f"{' '.join(command)}: {run.stderr}"


class Network:
    def __init__(self, hosts: int) -> None:
        tag = uuid.uuid4().hex[:6]
        # 10.<random>.<random>.0/24: unlikely to meet another test run's bridge on this machine.
        self.prefix = f"10.{int(tag[:2], 16) % 200 + 20}.{int(tag[2:4], 16)}"
        self.bridge = f"spbr{tag}"
        self.names = [f"spns{tag}{n}" for n in range(hosts)]
        self.gateway = f"{self.prefix}.1"
        self.processes: list[subprocess.Popen[bytes]] = []

    def address(self, host: int) -> str:
        return f"{self.prefix}.{host + 2}"

    def up(self) -> Network:
        sh("ip", "link", "add", self.bridge, "type", "bridge")
        sh("ip", "addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        sh("ip", "link", "set", self.bridge, "up")
        for number, name in enumerate(self.names):
            outside, inside = f"{self.bridge}v{number}", f"{self.bridge}n{number}"
            sh("ip", "netns", "add", name)
            sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            sh("ip", "link", "set", inside, "netns", name)
            sh("ip", "link", "set", outside, "master", self.bridge)
            sh("ip", "link", "set", outside, "up")
            sh("ip", "netns", "exec", name, "ip", "addr", "add", f"{self.address(number)}/24", "dev", inside)
            sh("ip", "netns", "exec", name, "ip", "link", "set", inside, "up")
            sh("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")
        return self

    def forward(self, port: int, target_port: int) -> None:
        """Make 127.0.0.1:<target_port> of the host reachable at <gateway>:<port> from the namespaces."""
        self.processes.append(
            subprocess.Popen(
                ["socat", f"TCP-LISTEN:{port},bind={self.gateway},fork,reuseaddr", f"TCP:127.0.0.1:{target_port}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    def run(self, host: int, command: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            ["ip", "netns", "exec", self.names[host], *command],
            env=env, cwd=cwd, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def down(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=15)
        for name in self.names:
            # Whatever still runs inside (a gunicorn worker orphaned by a SIGKILLed master) goes too.
            pids = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True).stdout.split()
            for pid in pids:
                subprocess.run(["kill", "-9", pid], capture_output=True)
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
