"""The Kubernetes manifests against the Kubernetes API's own schemas, offline.

``kubernetes-validate`` bundles the OpenAPI-derived JSON schemas of each Kubernetes
release, so nothing is downloaded. Strict mode refuses unknown fields, the mistake a
hand-written manifest most often hides (``kubectl apply`` would drop or refuse them).
Every file the kustomization applies is checked, and every object of the PostgreSQL variant
(``deploy/kubernetes-postgres``, read as kustomize builds it), against the newest bundled
release and the oldest one still supported upstream (the three newest minor releases are).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from packaging.version import Version

from tests.deploy.conftest import KUBERNETES, KUBERNETES_POSTGRES, kustomize_build, normalised

_LATEST = Version(kubernetes_validate.latest_version())
VERSIONS = [f"{_LATEST.major}.{_LATEST.minor - 2}", f"{_LATEST.major}.{_LATEST.minor}"]


def applied_objects() -> list[tuple[str, dict[str, Any]]]:
    """``(file name, object)`` for every object in the files the kustomization lists."""
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text("utf-8"))
    found = []
    for name in kustomization["resources"]:
        for doc in yaml.safe_load_all((KUBERNETES / name).read_text(encoding="utf-8")):
            if doc:
                found.append((name, doc))
    return found


OBJECTS = applied_objects()
POSTGRES_OBJECTS = kustomize_build(KUBERNETES_POSTGRES)


def check(obj: dict[str, Any], version: str) -> None:
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.ValidationError as err:
        where = ".".join(str(p) for p in err.path) or "(top)"
        pytest.fail(f"{obj['kind']} {obj['metadata']['name']}: {where}: {err.message}")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("name", "obj"), OBJECTS, ids=[name for name, _ in OBJECTS])
def test_manifest_matches_the_kubernetes_api_schema(
    name: str, obj: dict[str, Any], version: str
) -> None:
    check(obj, version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("obj", POSTGRES_OBJECTS, ids=[o["kind"].lower() for o in POSTGRES_OBJECTS])
def test_the_postgres_variant_matches_the_kubernetes_api_schema(
    obj: dict[str, Any], version: str
) -> None:
    check(obj, version)


@pytest.mark.parametrize("folder", [KUBERNETES, KUBERNETES_POSTGRES], ids=lambda f: f.name)
def test_the_tests_read_each_kustomization_as_kubectl_builds_it(folder: Path) -> None:
    """The objects the manifest tests check are the ones ``kubectl apply -k`` would send."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the tests' kustomize reader is not compared")
    built = subprocess.run(
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=True
    )
    expected = [d for d in yaml.safe_load_all(built.stdout) if d]
    assert _keyed(kustomize_build(folder)) == _keyed(expected)


def _keyed(objects: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    return {(o["kind"], o["metadata"]["name"]): normalised(o) for o in objects}


def test_every_kind_the_kustomization_applies_is_checked() -> None:
    kinds = {obj["kind"] for _, obj in OBJECTS}
    assert {"Deployment", "Service", "Ingress", "PersistentVolumeClaim"} <= kinds


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("spec", "replica"), 2),  # a misspelt field
        (("spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"), "http"),
        (("spec", "strategy", "type"), ["RollingUpdate"]),
    ],
)
def test_the_schema_check_refuses_a_broken_deployment(path: tuple[Any, ...], value: Any) -> None:
    """The check has teeth: the shipped Deployment with one field broken is refused."""
    (deployment,) = [obj for _, obj in OBJECTS if obj["kind"] == "Deployment"]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    target = broken
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[-1], strict=True)
