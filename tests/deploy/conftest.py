"""The deployment files, read once: the Dockerfile's instructions, compose, the manifests.

The Dockerfile reader understands what this project's Dockerfile uses (line continuations,
comments, ``ENV key=value`` pairs, exec-form ``CMD``/``HEALTHCHECK``) and refuses the
rest loudly, so a test never checks a misread file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from store.database import not_the_store
from tests.deploy.cluster import Cluster, ClusterFailed

ROOT = Path(__file__).resolve().parents[2]
PORT_ENV = "STREAMLIT_SERVER_PORT"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    value: str
    line: int


@dataclass(frozen=True)
class Dockerfile:
    instructions: tuple[Instruction, ...]

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction:
        found = self.all(keyword)
        if not found:
            pytest.fail(f"the Dockerfile has no {keyword} instruction")
        return found[-1]

    @property
    def copies(self) -> list[tuple[str, str]]:
        """``(source, destination)`` of every COPY and ADD, options such as ``--chown`` left out."""
        pairs = []
        for instruction in self.all("COPY") + self.all("ADD"):
            args = [a for a in instruction.value.split() if not a.startswith("--")]
            if len(args) != 2:
                pytest.fail(f"line {instruction.line}: one source and one destination expected")
            pairs.append((args[0], args[1]))
        return pairs

    @property
    def base_image(self) -> str:
        words = [w for w in self.last("FROM").value.split() if not w.startswith("--")]
        return words[0]

    @property
    def env(self) -> dict[str, str]:
        """Every ``ENV`` in order, later values winning, as the running container sees them."""
        env: dict[str, str] = {}
        for instruction in self.all("ENV"):
            for pair in shlex.split(instruction.value):
                key, sep, value = pair.partition("=")
                if not sep or "$" in value:
                    pytest.fail(f"line {instruction.line}: only ENV key=value without $ is read")
                env[key] = value
        return env

    @property
    def user(self) -> str:
        return self.last("USER").value.strip()

    @property
    def exposed_ports(self) -> set[int]:
        return {int(p.split("/")[0]) for i in self.all("EXPOSE") for p in i.value.split()}

    @property
    def port(self) -> int:
        """The port the server listens on: the image's ``STREAMLIT_SERVER_PORT``."""
        return int(self.env.get(PORT_ENV, "8501"))

    @property
    def command(self) -> list[str]:
        """``ENTRYPOINT`` followed by ``CMD``, both in exec form."""
        entry = self.all("ENTRYPOINT")
        return (_exec_form(entry[-1]) if entry else []) + _exec_form(self.last("CMD"))

    @property
    def healthcheck(self) -> tuple[dict[str, str], list[str]]:
        """The ``HEALTHCHECK`` options (``{"--interval": "30s"}``) and its exec-form command."""
        instruction = self.last("HEALTHCHECK")
        match = re.fullmatch(r"((?:--\S+\s+)*)CMD\s+(.*)", instruction.value, re.DOTALL)
        if match is None:
            pytest.fail(f"line {instruction.line}: HEALTHCHECK [options] CMD [...] expected")
        options = dict(o.split("=", 1) for o in match.group(1).split())
        command = Instruction("CMD", match.group(2), instruction.line)
        return options, _exec_form(command)


def _exec_form(instruction: Instruction) -> list[str]:
    try:
        argv = json.loads(instruction.value)
    except json.JSONDecodeError:
        argv = None
    if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
        pytest.fail(f"line {instruction.line}: {instruction.keyword} must be in exec (JSON) form")
    return argv


def parse_dockerfile(text: str) -> Dockerfile:
    """Instructions with their continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "<<" in line and not pending:
            pytest.fail(f"line {number}: heredocs are not read by this test")
        start = start or number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, value = (pending + line).partition(" ")
        instructions.append(Instruction(keyword.upper(), value.strip(), start))
        pending, start = "", 0
    return Dockerfile(tuple(instructions))


@pytest.fixture(scope="session")
def dockerfile() -> Dockerfile:
    return parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def streamlit_config() -> dict[str, Any]:
    """The committed ``.streamlit/config.toml``."""
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def upload_limit_mb(streamlit_config: dict[str, Any]) -> int:
    return int(streamlit_config["server"]["maxUploadSize"])


@pytest.fixture(scope="session")
def streamlit_env_names() -> set[str]:
    """Every ``STREAMLIT_*`` variable this Streamlit reads: a misspelt one is silently ignored."""
    code = (
        "from streamlit import config\n"
        "for option in config.get_config_options().values(): print(option.env_var)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(result.stdout.split())


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def k8s() -> dict[str, dict[str, Any]]:
    """The Kubernetes objects in ``deploy/kubernetes/``, by kind (one of each kind)."""
    objects: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                assert doc["kind"] not in objects, f"two {doc['kind']} objects"
                objects[doc["kind"]] = doc
    return objects


# --- kustomize, read for the tests ----------------------------------------------------------

KUBERNETES = ROOT / "deploy" / "kubernetes"
KUBERNETES_POSTGRES = ROOT / "deploy" / "kubernetes-postgres"


def kustomize_build(folder: Path) -> list[dict[str, Any]]:
    """The objects ``kubectl kustomize folder`` gives, for what these kustomizations use:
    file and folder resources, strategic-merge patch files (``$patch: delete``, a null
    removing a field, lists of named items merged by name), ``labels`` pairs on each
    object's metadata and ``images`` tags. ``test_manifest_schemas.py`` compares it with
    kubectl's where kubectl is installed; anything else it meets is refused."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    known = {"apiVersion", "kind", "resources", "patches", "labels", "images"}
    assert set(kustomization) <= known, f"{folder}: {set(kustomization) - known} not read here"
    objects: list[dict[str, Any]] = []
    for resource in kustomization["resources"]:
        path = folder / resource
        if path.is_dir():
            objects += kustomize_build(path)
        else:
            objects += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    for patch in kustomization.get("patches", []):
        assert set(patch) == {"path"}, f"{folder}: only patch files are read here"
        body = yaml.safe_load((folder / patch["path"]).read_text(encoding="utf-8"))
        objects = _patched(objects, body)
    for label in kustomization.get("labels", []):
        assert set(label) == {"pairs"}, f"{folder}: only label pairs are read here"
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(label["pairs"])
    for image in kustomization.get("images", []):
        for obj in objects:
            for container in _containers(obj):
                name, _, _ = container["image"].partition(":")
                if name == image["name"]:
                    container["image"] = f"{name}:{image['newTag']}"
    return objects


def _patched(objects: list[dict[str, Any]], patch: dict[str, Any]) -> list[dict[str, Any]]:
    target = (patch["kind"], patch["metadata"]["name"])
    matches = [o for o in objects if (o["kind"], o["metadata"]["name"]) == target]
    assert len(matches) == 1, f"the patch's target {target} is not one object"
    if patch.get("$patch") == "delete":
        return [o for o in objects if o is not matches[0]]
    return [_merged(o, patch) if o is matches[0] else o for o in objects]


def _merged(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = _merged(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(patch, list) and _named(base + patch):
        by_name = {item["name"]: item for item in base}
        for item in patch:
            old = by_name.get(item["name"])
            by_name[item["name"]] = item if old is None else _merged(old, item)
        return list(by_name.values())
    return patch


def _named(items: list[Any]) -> bool:
    return all(isinstance(i, dict) and "name" in i for i in items)


def _containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    pod = obj.get("spec", {}).get("template", {}).get("spec", {})
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def by_kind(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One object of each kind, by kind."""
    found: dict[str, dict[str, Any]] = {}
    for obj in objects:
        assert obj["kind"] not in found, f"two {obj['kind']} objects"
        found[obj["kind"]] = obj
    return found


def normalised(obj: Any) -> Any:
    """Lists of named items in name order: kustomize may reorder them, and their order has
    no meaning here (env without references, volumes, mounts, containers)."""
    if isinstance(obj, dict):
        return {k: normalised(v) for k, v in obj.items()}
    if isinstance(obj, list):
        items = [normalised(i) for i in obj]
        if _named(items):
            return sorted(items, key=lambda i: i["name"])
        return items
    return obj


@pytest.fixture(scope="session")
def k8s_postgres() -> dict[str, dict[str, Any]]:
    """The objects ``kubectl apply -k deploy/kubernetes-postgres`` applies, by kind."""
    return by_kind(kustomize_build(KUBERNETES_POSTGRES))


# --- the proxy set-up: deploy/local/cluster (nginx in front of replicas) ---------------------


@pytest.fixture(scope="session")
def nginx_path() -> str:
    """Debian's nginx; missing, the proxy tests skip, except under CI (``REQUIRE_BROWSER=1``),
    whose ``.ci/run`` installs it."""
    path = "/usr/sbin/nginx"
    if not Path(path).is_file():
        reason = f"no nginx at {path} (apt-get install nginx)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; .ci/run installs it")
        pytest.skip(reason)
    return path


@contextlib.contextmanager
def running_cluster(
    root: Path, replicas: int, env: dict[str, str] | None = None, database: str | None = None
) -> Iterator[Cluster]:
    """``deploy/local/cluster`` with ``replicas`` replicas sharing a private copy of the
    shipped scenarios (``env`` added to their environment) and, given ``database``, its
    ``--database``; stopped with SIGTERM afterwards, which must end all it started."""
    scenarios = root / "scenarios"
    shutil.copytree(ROOT / "assumptions" / "scenarios", scenarios, ignore=not_the_store)
    cluster = Cluster(
        replicas, scenarios, root / "cluster.out", env=dict(env or {}), database=database
    )
    try:
        cluster.start()
    except ClusterFailed as err:
        pytest.fail(str(err))
    try:
        yield cluster
    finally:
        cluster.stop()
