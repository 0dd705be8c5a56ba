"""compose.yaml, the Kubernetes manifests and the nginx example agree with the Dockerfile.

Each file restates facts the image decides (its port, its user, where it writes, where its
health endpoint is); these tests catch the copies drifting apart.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from sqlalchemy.engine import make_url

import api
import store
from market import paths
from tests.deploy.conftest import KUBERNETES, by_kind, kustomize_build, normalised

ROOT = Path(__file__).resolve().parents[2]
MARKET_ENV = {
    store.DATABASE_ENV,
    paths.ASSUMPTIONS_ENV,
    paths.SCENARIOS_ENV,
    paths.DEFAULT_FILE_ENV,
    api.ENABLE_ENV,
    api.TOKENS_ENV,
}
WRITABLE_ENV = ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", paths.SCENARIOS_ENV)
BASE_PATH_ENV = "STREAMLIT_SERVER_BASE_URL_PATH"


def _health_path(env: dict[str, str]) -> str:
    prefix = env.get(BASE_PATH_ENV, "").strip("/")
    return f"/{prefix}/_stcore/health" if prefix else "/_stcore/health"


def _under(path: str, folders: list[str]) -> bool:
    return any(PurePosixPath(path).is_relative_to(folder) for folder in folders)


def _known_env_name(name: str, streamlit_env_names: set[str]) -> bool:
    if name.startswith("STREAMLIT_"):
        return name in streamlit_env_names
    if name.startswith("MARKET_"):
        return name in MARKET_ENV
    return True


# --- compose -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(compose: dict[str, Any]) -> dict[str, Any]:
    """The dashboard: the one service started without a profile."""
    (only,) = [s for s in compose["services"].values() if not s.get("profiles")]
    return only


@pytest.fixture(scope="module")
def postgres_service(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]["postgres"]


@pytest.fixture(scope="module")
def compose_env(service: dict[str, Any], dockerfile) -> dict[str, str]:
    declared = service.get("environment", {})
    if isinstance(declared, list):
        declared = dict(item.split("=", 1) for item in declared)
    return dockerfile.env | {k: str(v) for k, v in declared.items()}


def test_compose_publishes_the_server_port(service, dockerfile) -> None:
    targets = {int(str(p).split(":")[-1].split("/")[0]) for p in service["ports"]}
    assert targets == {dockerfile.port}


def test_compose_keeps_the_root_read_only_with_a_named_volume_and_tmpfs(compose, service) -> None:
    assert service["read_only"] is True
    assert [t.split(":")[0] for t in service["tmpfs"]] == ["/tmp"]
    named = {v.split(":")[0]: v.split(":")[1] for v in service["volumes"]}
    assert set(compose["volumes"]) & set(named), "the data volume must be a named volume"


def test_compose_writable_paths_are_on_a_volume_or_tmpfs(service, compose_env) -> None:
    writable = [t.split(":")[0] for t in service["tmpfs"]]
    writable += [v.split(":")[1] for v in service["volumes"] if not v.endswith(":ro")]
    for name in WRITABLE_ENV:
        assert _under(compose_env[name], writable), f"{name}={compose_env[name]} is read-only"


def test_compose_restarts_the_dashboard(service) -> None:
    assert service["restart"] in {"always", "unless-stopped"}


def test_compose_healthcheck_is_the_image_probe(service, dockerfile) -> None:
    _, probe = dockerfile.healthcheck
    assert service["healthcheck"]["test"] == ["CMD", *probe]


def test_compose_environment_names_are_read_by_someone(compose_env, streamlit_env_names) -> None:
    unknown = [n for n in compose_env if not _known_env_name(n, streamlit_env_names)]
    assert unknown == []


def test_compose_without_a_profile_keeps_scenarios_in_sqlite_on_the_volume(
    compose, service, compose_env, monkeypatch
) -> None:
    """Nothing but the dashboard starts by default, and its database URL comes from the
    host, empty unless set there: the store is then the SQLite file in the scenarios folder,
    on the named volume."""
    assert [n for n, s in compose["services"].items() if not s.get("profiles")] == ["dashboard"]
    declared = service["environment"][store.DATABASE_ENV]
    assert declared == "${" + store.DATABASE_ENV + ":-}"
    monkeypatch.setenv(store.DATABASE_ENV, "")
    monkeypatch.setenv(paths.SCENARIOS_ENV, compose_env[paths.SCENARIOS_ENV])
    url = store.database_url()
    assert url.get_backend_name() == "sqlite"
    named = [v.split(":")[1] for v in service["volumes"] if v.split(":")[0] in compose["volumes"]]
    assert _under(str(url.database), named), url


def test_compose_postgres_profile_keeps_its_data_on_a_named_volume_behind_a_healthcheck(
    compose, service, postgres_service
) -> None:
    assert postgres_service["profiles"] == ["postgres"]
    assert postgres_service["image"].split(":")[1].split("-")[0].isdigit(), "a major pinned"
    data = {v.split(":")[1]: v.split(":")[0] for v in postgres_service["volumes"]}
    assert data["/var/lib/postgresql/data"] in compose["volumes"]
    assert "ports" not in postgres_service, "only the dashboard reaches it, on compose's network"
    assert postgres_service["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    env = postgres_service["environment"]
    assert env["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-}", "from the host, not here"
    waits = service["depends_on"]["postgres"]
    # Waits for a healthy database when the profile runs it, ignores it otherwise.
    assert waits == {"condition": "service_healthy", "required": False}


def test_the_url_compose_documents_reaches_its_postgres_service(postgres_service) -> None:
    """The MARKET_DATABASE_URL that compose.yaml's comment tells people to set names the
    postgres service's host, user and database, and the store reads it as PostgreSQL."""
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    documented = set(re.findall(rf"{store.DATABASE_ENV}=(\S+)", text))
    assert documented, "compose.yaml says how to point the dashboard at PostgreSQL"
    env = postgres_service["environment"]
    for example in documented:
        url = make_url(example)
        assert url.drivername == "postgresql+psycopg"
        assert (url.host, url.port) == ("postgres", 5432)
        assert (url.username, url.database) == (env["POSTGRES_USER"], env["POSTGRES_DB"])


def test_dockerfile_environment_names_are_read_by_someone(dockerfile, streamlit_env_names) -> None:
    unknown = [n for n in dockerfile.env if not _known_env_name(n, streamlit_env_names)]
    assert unknown == []


# --- Kubernetes ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pod(k8s: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return k8s["Deployment"]["spec"]["template"]["spec"]


@pytest.fixture(scope="module")
def container(pod: dict[str, Any]) -> dict[str, Any]:
    (only,) = pod["containers"]
    return only


@pytest.fixture(scope="module")
def k8s_env(container: dict[str, Any], dockerfile) -> dict[str, str]:
    declared = {e["name"]: e.get("value", "") for e in container.get("env", [])}
    return dockerfile.env | declared


def _container_port(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p.get("name") == port]
    return number


def test_container_listens_on_the_image_port(container, dockerfile) -> None:
    assert [p["containerPort"] for p in container["ports"]] == [dockerfile.port]


@pytest.mark.parametrize("probe", ["startupProbe", "readinessProbe", "livenessProbe"])
def test_probes_ask_the_health_endpoint_on_the_server_port(
    container, k8s_env, dockerfile, probe
) -> None:
    check = container[probe]["httpGet"]
    assert check["path"] == _health_path(k8s_env)
    assert _container_port(container, check["port"]) == dockerfile.port


def test_pod_runs_as_the_image_user_without_privileges(pod, dockerfile) -> None:
    uid = int(dockerfile.user.split(":")[0])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == uid
    assert pod["securityContext"]["fsGroup"] == int(dockerfile.user.partition(":")[2] or uid)
    for each in pod.get("initContainers", []) + pod["containers"]:
        context = each["securityContext"]
        assert context["readOnlyRootFilesystem"] is True, each["name"]
        assert context["allowPrivilegeEscalation"] is False, each["name"]
        assert context["capabilities"]["drop"] == ["ALL"], each["name"]


def test_init_containers_use_the_image_and_the_same_scenarios_folder(pod, k8s_env) -> None:
    (main,) = pod["containers"]
    for init in pod.get("initContainers", []):
        env = {e["name"]: e.get("value") for e in init.get("env", [])}
        assert init["image"] == main["image"]
        assert (
            env.get(paths.SCENARIOS_ENV, k8s_env[paths.SCENARIOS_ENV])
            == (k8s_env[paths.SCENARIOS_ENV])
        )


def test_container_declares_resources(container) -> None:
    resources = container["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"])
    assert "memory" in resources["limits"]


def test_tmp_is_scratch_and_data_is_the_shared_claim(pod, container, k8s) -> None:
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: volumes[m["name"]] for m in container["volumeMounts"]}
    assert "emptyDir" in mounts["/tmp"]
    claim = k8s["PersistentVolumeClaim"]
    assert mounts["/data"]["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    assert "ReadWriteMany" in claim["spec"]["accessModes"], "several replicas share it"


def _database_env(container: dict[str, Any]) -> dict[str, Any]:
    (found,) = [e for e in container["env"] if e["name"] == store.DATABASE_ENV]
    assert "value" not in found, "a URL holds a password: from a Secret, never written here"
    return found["valueFrom"]["secretKeyRef"]


def test_the_deployment_takes_the_database_url_from_an_optional_secret(container) -> None:
    """Without the Secret the pods start as before, on SQLite on the shared claim."""
    secret = _database_env(container)
    assert secret["optional"] is True
    assert (secret["name"], secret["key"]) == ("market-dashboard-database", "url")


def test_the_postgres_variant_needs_no_shared_claim_and_requires_the_secret(
    k8s, k8s_postgres, container
) -> None:
    assert "PersistentVolumeClaim" not in k8s_postgres
    pod = k8s_postgres["Deployment"]["spec"]["template"]["spec"]
    assert [v["name"] for v in pod["volumes"] if "persistentVolumeClaim" in v] == []
    (dashboard,) = pod["containers"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: volumes[m["name"]] for m in dashboard["volumeMounts"]}
    assert "emptyDir" in mounts["/data"], "each pod's own scratch folder"
    # The same Secret as the base, required: without it a pod would save into its own
    # SQLite file, lost with the pod, so it does not start.
    required = _database_env(dashboard)
    assert required == _database_env(container) | {"optional": False}


def test_the_postgres_variant_changes_nothing_else(k8s_postgres) -> None:
    base = by_kind(kustomize_build(KUBERNETES))
    del base["PersistentVolumeClaim"]
    assert set(base) == set(k8s_postgres)
    for kind in set(base) - {"Deployment"}:
        assert k8s_postgres[kind] == base[kind], kind
    undone = copy.deepcopy(k8s_postgres["Deployment"])
    pod = undone["spec"]["template"]["spec"]
    (data,) = [v for v in pod["volumes"] if v["name"] == "data"]
    data.pop("emptyDir")
    data["persistentVolumeClaim"] = {"claimName": "market-dashboard-data"}
    _database_env(pod["containers"][0])["optional"] = True
    assert normalised(undone) == normalised(base["Deployment"])


def test_k8s_writable_paths_are_on_writable_volumes(container, k8s_env) -> None:
    writable = [m["mountPath"] for m in container["volumeMounts"] if not m.get("readOnly")]
    for name in WRITABLE_ENV:
        assert _under(k8s_env[name], writable), f"{name}={k8s_env[name]} is read-only"


def test_k8s_environment_names_are_read_by_someone(k8s_env, streamlit_env_names) -> None:
    unknown = [n for n in k8s_env if not _known_env_name(n, streamlit_env_names)]
    assert unknown == []


def test_service_selects_the_pods_and_targets_the_server_port(k8s, container, dockerfile) -> None:
    deployment, service = k8s["Deployment"], k8s["Service"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    targets = [_container_port(container, p["targetPort"]) for p in service["spec"]["ports"]]
    assert targets == [dockerfile.port]


def test_ingress_routes_to_the_service(k8s) -> None:
    service = k8s["Service"]
    ports = {p["port"] for p in service["spec"]["ports"]} | {
        p.get("name") for p in service["spec"]["ports"]
    }
    for rule in k8s["Ingress"]["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == service["metadata"]["name"]
            assert (backend["port"].get("name") or backend["port"].get("number")) in ports


def test_ingress_is_sticky_websocket_friendly_and_limits_uploads(k8s, upload_limit_mb) -> None:
    notes = k8s["Ingress"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600
    assert int(notes[prefix + "proxy-send-timeout"]) >= 3600
    assert notes[prefix + "proxy-body-size"] == f"{upload_limit_mb}m"


def test_kustomization_applies_every_manifest(k8s) -> None:
    files = {p.name for p in (ROOT / "deploy" / "kubernetes").glob("*.yaml")}
    assert set(k8s["Kustomization"]["resources"]) == files - {"kustomization.yaml"}


# --- nginx ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nginx_location() -> tuple[str, str]:
    """The example's proxied location: its prefix and its body (comments removed)."""
    text = (ROOT / "deploy" / "nginx" / "market-dashboard.conf").read_text(encoding="utf-8")
    text = re.sub(r"#.*", "", text)
    matches = re.findall(r"location\s+(/\S*/)\s*\{([^}]*)\}", text)
    assert len(matches) == 1, "one prefix location expected"
    return matches[0]


def test_nginx_upgrades_websockets_over_http_1_1(nginx_location) -> None:
    _, body = nginx_location
    assert re.search(r"proxy_http_version\s+1\.1;", body)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", body)
    assert re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade;", body)


def test_nginx_keeps_websockets_open_and_limits_uploads(nginx_location, upload_limit_mb) -> None:
    _, body = nginx_location
    timeout = re.search(r"proxy_read_timeout\s+(\d+)s?;", body)
    assert timeout and int(timeout.group(1)) >= 3600
    assert re.search(rf"client_max_body_size\s+{upload_limit_mb}m;", body)


def test_nginx_passes_the_path_and_cookies_through(nginx_location) -> None:
    prefix, body = nginx_location
    # Streamlit serves under the prefix itself (server.baseUrlPath), so nginx must not strip it
    # (proxy_pass without a URI part) nor rewrite the XSRF and login cookies.
    assert re.search(r"proxy_pass\s+http://[\w.:-]+;", body)
    assert not re.search(r"proxy_cookie_path|proxy_hide_header\s+Set-Cookie|rewrite", body)
    conf = (ROOT / "deploy" / "nginx" / "market-dashboard.conf").read_text(encoding="utf-8")
    assert f"{BASE_PATH_ENV}={prefix.strip('/')}" in conf, "the comment names the app setting"


# --- the HTTP API ----------------------------------------------------------------------------


def test_compose_and_kubernetes_ship_the_api_off_with_its_tokens_from_a_secret(
    service: dict[str, Any], container: dict[str, Any]
) -> None:
    declared = service["environment"]
    assert not api.enabled({k: str(v) for k, v in declared.items()})
    assert declared[api.TOKENS_ENV] == "${" + api.TOKENS_ENV + ":-}"  # from the host, not here
    env = {e["name"]: e for e in container["env"]}
    assert not api.enabled({api.ENABLE_ENV: env[api.ENABLE_ENV]["value"]})
    assert str(declared[api.ENABLE_ENV]) == env[api.ENABLE_ENV]["value"]
    secret = env[api.TOKENS_ENV]["valueFrom"]["secretKeyRef"]
    assert "value" not in env[api.TOKENS_ENV] and secret["optional"] is True


def test_nginx_passes_the_api_and_its_token_through(nginx_location) -> None:
    prefix, body = nginx_location
    root = api.Settings(base_path=prefix.strip("/")).root
    assert root.startswith(prefix), "the API is served under the proxied prefix"
    assert not re.search(r"proxy_set_header\s+Authorization|proxy_hide_header", body)
    assert "limit_except" not in body  # every method reaches the app, which answers 405 itself
