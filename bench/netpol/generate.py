#!/usr/bin/env python3
"""Writes a synthetic cluster for the `bulwark netpol list` benchmark.

Defaults: 5,001 workloads in 101 namespaces and 1,200 NetworkPolicies (per namespace a default deny with DNS
egress, then allow policies between tiers, from other teams' namespaces, to external ranges and on named ports,
some selecting single apps). The output is deterministic for a seed.

    bench/netpol/generate.py OUT_DIR [--workloads 5001] [--namespaces 101] [--policies 1200] [--seed 7]
"""
import argparse
import os
import random

TIERS = ["web", "api", "db", "cache", "worker"]
TEAMS = ["red", "green", "blue", "gold", "grey", "teal", "plum"]
PORTS = {"web": 8443, "api": 8080, "db": 5432, "cache": 6379, "worker": 9090}


def workload(ns, name, tier, team, kind):
    port = PORTS[tier]
    spec = f"""      containers:
        - name: main
          image: registry.example/{tier}:1.0.0
          ports:
            - name: {tier}-port
              containerPort: {port}
            - name: metrics
              containerPort: 9100
"""
    template = f"""    metadata:
      labels:
        app: {name}
        tier: {tier}
        team: {team}
    spec:
{spec}"""
    if kind == "Pod":
        return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
    tier: {tier}
    team: {team}
spec:
{spec}"""
    api = "batch/v1" if kind == "Job" else "apps/v1"
    selector = "" if kind == "Job" else f"""  selector:
    matchLabels:
      app: {name}
"""
    return f"""apiVersion: {api}
kind: {kind}
metadata:
  name: {name}
  namespace: {ns}
spec:
{selector}  template:
{template}"""


def policy(ns, name, body):
    return f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {ns}
spec:
{body}"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--workloads", type=int, default=5001)
    parser.add_argument("--namespaces", type=int, default=101)
    parser.add_argument("--policies", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    namespaces = [f"ns-{i:04d}" for i in range(args.namespaces)]
    docs = {ns: [] for ns in namespaces}
    apps = {ns: [] for ns in namespaces}
    team_of = {}
    for i, ns in enumerate(namespaces):
        team = TEAMS[i % len(TEAMS)]
        team_of[ns] = team
        docs[ns].append(f"""apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    team: {team}
    env: {"prod" if i % 3 else "staging"}
""")
    kinds = ["Deployment"] * 6 + ["StatefulSet", "DaemonSet", "Pod", "Job"]
    for w in range(args.workloads):
        ns = namespaces[w % len(namespaces)]
        tier = TIERS[rng.randrange(len(TIERS))]
        name = f"{tier}-{w:05d}"
        apps[ns].append((name, tier))
        docs[ns].append(workload(ns, name, tier, team_of[ns], rng.choice(kinds)))

    count = 0
    for ns in namespaces:
        if count + 2 > args.policies:
            break
        docs[ns].append(policy(ns, "default-deny", """  podSelector: {}
  policyTypes: [Ingress, Egress]
"""))
        docs[ns].append(policy(ns, "allow-dns", """  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
"""))
        count += 2

    flows = [("web", "api"), ("api", "db"), ("api", "cache"), ("worker", "db"), ("worker", "api")]
    i = 0
    while count < args.policies:
        ns = namespaces[i % len(namespaces)]
        kind = i // len(namespaces) % 6
        src, dst = flows[i % len(flows)]
        name = f"p-{i:05d}"
        if kind == 0:
            body = f"""  podSelector:
    matchLabels:
      tier: {dst}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: {src}
      ports:
        - port: {PORTS[dst]}
"""
        elif kind == 1:
            body = f"""  podSelector:
    matchLabels:
      tier: {src}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              tier: {dst}
      ports:
        - port: {dst}-port
"""
        elif kind == 2:
            team = rng.choice(TEAMS)
            body = f"""  podSelector:
    matchLabels:
      tier: {dst}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: {team}
          podSelector:
            matchExpressions:
              - key: tier
                operator: In
                values: [{src}, worker]
      ports:
        - protocol: TCP
          port: {PORTS[dst]}
        - port: metrics
"""
        elif kind == 3:
            octet = rng.randrange(1, 223)
            body = f"""  podSelector:
    matchLabels:
      tier: {src}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: {octet}.0.0.0/8
            except:
              - {octet}.{rng.randrange(256)}.0.0/16
      ports:
        - port: 443
          endPort: 444
"""
        elif kind == 4 and apps[ns]:
            app, tier = rng.choice(apps[ns])
            body = f"""  podSelector:
    matchLabels:
      app: {app}
  ingress:
    - from:
        - namespaceSelector:
            matchExpressions:
              - key: env
                operator: NotIn
                values: [staging]
      ports:
        - port: {PORTS[tier]}
"""
        else:
            body = f"""  podSelector:
    matchLabels:
      tier: web
  ingress:
    - from:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - port: 8443
"""
        docs[ns].append(policy(ns, name, body))
        count += 1
        i += 1

    for ns in namespaces:
        with open(os.path.join(args.out, ns + ".yaml"), "w", encoding="utf-8") as f:
            f.write("---\n".join(docs[ns]))
    print(f"{args.workloads} workloads, {len(namespaces)} namespaces, {count} policies in {args.out}")


if __name__ == "__main__":
    main()
