using System.Globalization;
using System.Text;

namespace Bulwark.Bench.CorpusGenerator;

/// <summary>
/// Makes realistic Kubernetes objects from a seeded <see cref="Random"/>: workloads with and without security
/// contexts (about one pod template in five has a privileged container, so rules fire), and the objects that
/// go with them.
/// </summary>
public sealed class Manifests(Random random)
{
    private static readonly string[] Teams = ["payments", "search", "checkout", "identity", "catalog", "billing", "ml", "edge", "data", "platform"];

    private static readonly string[] Apps = ["api", "web", "worker", "gateway", "scheduler", "indexer", "cache", "auth", "frontend", "ingest", "exporter", "sync"];

    private static readonly string[] Images =
    [
        "nginx:1.27.2", "redis:7.4", "postgres:16.4", "ghcr.io/acme/api:2.14.0", "registry.k8s.io/pause:3.10", "busybox:1.36",
        "quay.io/prometheus/node-exporter:v1.8.2", "docker.io/library/python:3.12-slim", "gcr.io/distroless/static:nonroot",
        "ghcr.io/acme/worker@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "nginx:latest",
    ];

    private static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    private static readonly string[] Resources = ["pods", "services", "configmaps", "secrets", "deployments", "jobs", "events", "endpoints"];

    private int _serial;

    public string Namespace() => Pick(Teams) + "-" + Pick(["prod", "staging", "dev"]);

    /// <summary>One object of a kind drawn with realistic weights.</summary>
    public Map Next(string ns)
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 18 => Deployment(ns),
            < 22 => StatefulSet(ns),
            < 25 => DaemonSet(ns),
            < 29 => CronJob(ns),
            < 33 => Pod(ns),
            < 50 => Service(ns),
            < 67 => ConfigMap(ns),
            < 71 => NamespaceObject(ns),
            < 80 => NetworkPolicy(ns),
            < 89 => Role(ns),
            _ => RoleBinding(ns),
        };
    }

    private string Name(string prefix) => prefix + "-" + (++_serial).ToString(CultureInfo.InvariantCulture);

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    private bool Chance(int percent) => random.Next(100) < percent;

    private Map Metadata(string name, string ns, string app, bool annotations = true)
    {
        var labels = new Map()
            .Add("app.kubernetes.io/name", app)
            .Add("app.kubernetes.io/part-of", ns.Split('-')[0])
            .Add("app.kubernetes.io/version", $"{random.Next(1, 5)}.{random.Next(0, 30)}.{random.Next(0, 10)}");
        var metadata = new Map().Add("name", name).Add("namespace", ns).Add("labels", labels);
        if (annotations && Chance(25))
        {
            metadata.Add("annotations", new Map()
                .Add("owner", ns.Split('-')[0] + "@example.com")
                .Add("description", "Serves the " + app + " endpoints for the " + ns + " environment; see the runbook."));
        }

        return metadata;
    }

    private Map Workload(string kind, string apiVersion, string ns, Func<Map, string, Map> spec)
    {
        var app = Pick(Apps);
        var name = Name(app);
        return new Map()
            .Add("apiVersion", apiVersion)
            .Add("kind", kind)
            .Add("metadata", Metadata(name, ns, app))
            .Add("spec", spec(PodTemplate(app), app));
    }

    private Map Deployment(string ns) => Workload("Deployment", "apps/v1", ns, (template, app) => new Map()
        .Add("replicas", (long)random.Next(1, 6))
        .Add("revisionHistoryLimit", 5L)
        .Add("selector", new Map().Add("matchLabels", new Map().Add("app.kubernetes.io/name", app)))
        .Add("strategy", new Map().Add("type", "RollingUpdate").Add("rollingUpdate", new Map().Add("maxSurge", "25%").Add("maxUnavailable", 0L)))
        .Add("template", template));

    private Map StatefulSet(string ns) => Workload("StatefulSet", "apps/v1", ns, (template, app) => new Map()
        .Add("serviceName", app)
        .Add("replicas", (long)random.Next(1, 4))
        .Add("selector", new Map().Add("matchLabels", new Map().Add("app.kubernetes.io/name", app)))
        .Add("template", template)
        .Add("volumeClaimTemplates", new Seq
        {
            new Map()
                .Add("metadata", new Map().Add("name", "data"))
                .Add("spec", new Map()
                    .Add("accessModes", new Seq { "ReadWriteOnce" })
                    .Add("storageClassName", "standard")
                    .Add("resources", new Map().Add("requests", new Map().Add("storage", $"{random.Next(1, 100)}Gi")))),
        }));

    private Map DaemonSet(string ns) => Workload("DaemonSet", "apps/v1", ns, (template, app) => new Map()
        .Add("selector", new Map().Add("matchLabels", new Map().Add("app.kubernetes.io/name", app)))
        .Add("updateStrategy", new Map().Add("type", "RollingUpdate"))
        .Add("template", template));

    private Map CronJob(string ns) => Workload("CronJob", "batch/v1", ns, (template, _) => new Map()
        .Add("schedule", $"{random.Next(60)} {random.Next(24)} * * *")
        .Add("concurrencyPolicy", "Forbid")
        .Add("successfulJobsHistoryLimit", 3L)
        .Add("jobTemplate", new Map().Add("spec", new Map()
            .Add("backoffLimit", 2L)
            .Add("template", template))));

    private Map Pod(string ns)
    {
        var app = Pick(Apps);
        var template = PodTemplate(app);
        var metadata = Metadata(Name(app), ns, app);
        return new Map()
            .Add("apiVersion", "v1")
            .Add("kind", "Pod")
            .Add("metadata", metadata)
            .Add("spec", template.First(e => e.Key == "spec").Value);
    }

    private Map PodTemplate(string app)
    {
        var spec = new Map();
        var style = random.Next(100);
        if (Chance(30))
        {
            spec.Add("serviceAccountName", app);
        }

        if (style < 35)
        {
            spec.Add("securityContext", new Map()
                .Add("runAsNonRoot", true)
                .Add("runAsUser", (long)random.Next(1000, 65000))
                .Add("fsGroup", 2000L)
                .Add("seccompProfile", new Map().Add("type", "RuntimeDefault")));
        }

        if (Chance(5))
        {
            spec.Add("hostNetwork", true);
        }

        var containers = new Seq();
        var count = random.Next(100) switch { < 80 => 1, < 97 => 2, _ => 3 };
        for (var i = 0; i < count; i++)
        {
            containers.Add(Container(i == 0 ? app : Pick(["sidecar", "proxy", "log-shipper"]), style));
        }

        if (Chance(10))
        {
            spec.Add("initContainers", new Seq { Container("init-" + app, style) });
        }

        spec.Add("containers", containers);
        if (Chance(50))
        {
            spec.Add("volumes", new Seq
            {
                new Map().Add("name", "config").Add("configMap", new Map().Add("name", app + "-config")),
                Chance(15)
                    ? new Map().Add("name", "host").Add("hostPath", new Map().Add("path", "/var/run").Add("type", "Directory"))
                    : new Map().Add("name", "tmp").Add("emptyDir", new Map().Add("medium", "Memory")),
            });
        }

        if (Chance(25))
        {
            spec.Add("nodeSelector", new Map().Add("kubernetes.io/os", "linux").Add("node.kubernetes.io/instance-type", "m6i.large"));
        }

        if (Chance(15))
        {
            spec.Add("tolerations", new Seq { new Map().Add("key", "dedicated").Add("operator", "Equal").Add("value", app).Add("effect", "NoSchedule") });
        }

        return new Map()
            .Add("metadata", new Map().Add("labels", new Map().Add("app.kubernetes.io/name", app)))
            .Add("spec", spec);
    }

    private Map Container(string name, int style)
    {
        var container = new Map()
            .Add("name", name)
            .Add("image", Pick(Images))
            .Add("imagePullPolicy", "IfNotPresent");
        if (Chance(25))
        {
            container.Add("args", new Seq { "--port=8080", "--log-level=info", "--metrics-addr=:9090" });
        }

        container.Add("ports", new Seq { new Map().Add("name", "http").Add("containerPort", 8080L).Add("protocol", "TCP") });
        var env = new Seq();
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            env.Add(new Map().Add("name", "SETTING_" + i.ToString(CultureInfo.InvariantCulture)).Add("value", "value-" + random.Next(1000).ToString(CultureInfo.InvariantCulture)));
        }

        if (Chance(30))
        {
            env.Add(new Map().Add("name", "DB_PASSWORD").Add("valueFrom", new Map().Add("secretKeyRef", new Map().Add("name", name + "-db").Add("key", "password"))));
        }

        if (env.Count > 0)
        {
            container.Add("env", env);
        }

        container.Add("resources", new Map()
            .Add("requests", new Map().Add("cpu", $"{random.Next(50, 500)}m").Add("memory", $"{random.Next(64, 1024)}Mi"))
            .Add("limits", new Map().Add("cpu", $"{random.Next(500, 2000)}m").Add("memory", $"{random.Next(1024, 4096)}Mi")));
        if (Chance(40))
        {
            container.Add("readinessProbe", new Map()
                .Add("httpGet", new Map().Add("path", "/healthz").Add("port", 8080L))
                .Add("initialDelaySeconds", 5L)
                .Add("periodSeconds", 10L));
        }

        // A fifth of containers privileged (BW1001 fires), a third hardened, the rest with no securityContext.
        if (Chance(20))
        {
            container.Add("securityContext", new Map().Add("privileged", true).Add("runAsUser", 0L));
        }
        else if (style < 50)
        {
            container.Add("securityContext", new Map()
                .Add("allowPrivilegeEscalation", false)
                .Add("readOnlyRootFilesystem", true)
                .Add("capabilities", new Map().Add("drop", new Seq { "ALL" })));
        }

        container.Add("volumeMounts", new Seq { new Map().Add("name", "config").Add("mountPath", "/etc/" + name).Add("readOnly", true) });
        return container;
    }

    private Map Service(string ns)
    {
        var app = Pick(Apps);
        return new Map()
            .Add("apiVersion", "v1")
            .Add("kind", "Service")
            .Add("metadata", Metadata(Name(app), ns, app, annotations: false))
            .Add("spec", new Map()
                .Add("type", Pick(["ClusterIP", "ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]))
                .Add("selector", new Map().Add("app.kubernetes.io/name", app))
                .Add("ports", new Seq
                {
                    new Map().Add("name", "http").Add("port", 80L).Add("targetPort", 8080L).Add("protocol", "TCP"),
                    new Map().Add("name", "metrics").Add("port", 9090L).Add("targetPort", "metrics"),
                }));
    }

    private Map ConfigMap(string ns)
    {
        var app = Pick(Apps);
        var data = new Map();
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            data.Add("setting." + i.ToString(CultureInfo.InvariantCulture), "value-" + random.Next(100000).ToString(CultureInfo.InvariantCulture));
        }

        if (Chance(20))
        {
            var file = new StringBuilder();
            for (var line = random.Next(3, 25); line > 0; line--)
            {
                file.Append("option_").Append(line).Append(" = ").Append(random.Next(1_000_000)).Append('\n');
            }

            data.Add("app.conf", file.ToString());
        }

        return new Map()
            .Add("apiVersion", "v1")
            .Add("kind", "ConfigMap")
            .Add("metadata", Metadata(Name(app + "-config"), ns, app))
            .Add("data", data);
    }

    private Map NamespaceObject(string ns) => new Map()
        .Add("apiVersion", "v1")
        .Add("kind", "Namespace")
        .Add("metadata", new Map()
            .Add("name", ns + "-" + (++_serial).ToString(CultureInfo.InvariantCulture))
            .Add("labels", new Map()
                .Add("pod-security.kubernetes.io/enforce", Pick(["restricted", "baseline", "privileged"]))
                .Add("pod-security.kubernetes.io/enforce-version", "latest")));

    private Map NetworkPolicy(string ns)
    {
        var app = Pick(Apps);
        var spec = new Map().Add("podSelector", new Map().Add("matchLabels", new Map().Add("app.kubernetes.io/name", app)));
        spec.Add("policyTypes", new Seq { "Ingress", "Egress" });
        spec.Add("ingress", new Seq
        {
            new Map()
                .Add("from", new Seq
                {
                    new Map().Add("namespaceSelector", new Map().Add("matchLabels", new Map().Add("kubernetes.io/metadata.name", ns))),
                    new Map().Add("podSelector", new Map().Add("matchLabels", new Map().Add("app.kubernetes.io/name", Pick(Apps)))),
                })
                .Add("ports", new Seq { new Map().Add("protocol", "TCP").Add("port", 8080L) }),
        });
        spec.Add("egress", new Seq
        {
            new Map().Add("to", new Seq { new Map().Add("ipBlock", new Map().Add("cidr", "10.0.0.0/8").Add("except", new Seq { "10.0.5.0/24" })) }),
        });
        return new Map()
            .Add("apiVersion", "networking.k8s.io/v1")
            .Add("kind", "NetworkPolicy")
            .Add("metadata", Metadata(Name("allow-" + app), ns, app, annotations: false))
            .Add("spec", spec);
    }

    private Map Role(string ns)
    {
        var rules = new Seq();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            rules.Add(new Map()
                .Add("apiGroups", new Seq { Pick(["", "apps", "batch"]) })
                .Add("resources", new Seq(Resources.OrderBy(_ => random.Next()).Take(random.Next(1, 4))))
                .Add("verbs", new Seq(Chance(10) ? ["*"] : Verbs.Take(random.Next(1, Verbs.Length)))));
        }

        var app = Pick(Apps);
        return new Map()
            .Add("apiVersion", "rbac.authorization.k8s.io/v1")
            .Add("kind", "Role")
            .Add("metadata", Metadata(Name(app + "-role"), ns, app, annotations: false))
            .Add("rules", rules);
    }

    private Map RoleBinding(string ns)
    {
        var app = Pick(Apps);
        return new Map()
            .Add("apiVersion", "rbac.authorization.k8s.io/v1")
            .Add("kind", "RoleBinding")
            .Add("metadata", Metadata(Name(app + "-binding"), ns, app, annotations: false))
            .Add("subjects", new Seq { new Map().Add("kind", "ServiceAccount").Add("name", app).Add("namespace", ns) })
            .Add("roleRef", new Map().Add("apiGroup", "rbac.authorization.k8s.io").Add("kind", "Role").Add("name", app + "-role"));
    }
}
