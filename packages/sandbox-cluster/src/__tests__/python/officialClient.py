"""Drives the sandbox with Debian's official Kubernetes client (python3-kubernetes).

Usage: officialClient.py KUBECONFIG NAMESPACE
Prints one JSON object with what each call saw; exits non-zero on any API error.
"""
import base64
import json
import sys
import threading

from kubernetes import client, config, watch


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    apps = client.AppsV1Api()
    core = client.CoreV1Api()
    seen = {}

    seen["deployments"] = sorted(
        d.metadata.name for d in apps.list_namespaced_deployment(namespace).items
    )

    # Watch from the list's resourceVersion, so only the ConfigMap created below arrives.
    listed = core.list_namespaced_config_map(namespace)
    created = threading.Timer(
        0.5,
        lambda: core.create_namespaced_config_map(
            namespace,
            client.V1ConfigMap(
                metadata=client.V1ObjectMeta(name="python-watched"),
                data={"from": "python"},
            ),
        ),
    )
    created.start()
    events = []
    stream = watch.Watch()
    for event in stream.stream(
        core.list_namespaced_config_map,
        namespace,
        resource_version=listed.metadata.resource_version,
        timeout_seconds=10,
    ):
        events.append([event["type"], event["object"].metadata.name])
        if event["object"].metadata.name == "python-watched":
            stream.stop()
    created.join()
    seen["watchEvents"] = events

    secret = core.create_namespaced_secret(
        namespace,
        client.V1Secret(
            metadata=client.V1ObjectMeta(name="python-secret"),
            data={"token": base64.b64encode(b"from-python").decode()},
        ),
    )
    read = core.read_namespaced_secret("python-secret", namespace)
    seen["secret"] = {
        "type": secret.type,
        "token": base64.b64decode(read.data["token"]).decode(),
    }
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
