namespace Bulwark.TestSupport;

/// <summary>
/// Inputs whose names, values, comments and file name are markup, for reports that must show them as text: a
/// manifest is untrusted. Kubernetes names cannot hold <c>&lt;</c> in a cluster, but a file on disk can say anything.
/// Every element they would create carries an id starting <c>injected</c>; every script sets <c>data-pwned</c>.
/// </summary>
public static class HostileInputs
{
    public const string PodFileName = "<img src=x onerror=alert(1) id=injected-file>.yaml";

    public const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: shop
          annotations:
            note: "<b id=injected-annotation>bold</b>"
        spec:
          containers:
            - name: "<b id=injected-container>x</b>"
              image: "</script><script>document.body.dataset.pwned='2'</script>:latest"
              # <!-- a comment that must stay text --> </script><script>document.body.dataset.pwned = "1"</script>
              env:
                - name: DB_PASSWORD
                  value: "<i id=injected-env>hunter2</i>"
        """;

    public const string Compose = """
        services:
          "<svg onload=alert(4) id=injected-service>":
            image: "nginx:latest"
            privileged: true
        """;

    /// <summary>A workload named like an element, in a namespace with a policy, so the connectivity graph draws it.</summary>
    public const string NetworkPolicy = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: "<svg id=injected-workload onload=alert(5)>"
          namespace: shop
        spec:
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: deny
          namespace: shop
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        """;

    /// <summary>A Dockerfile BuildKit rejects, so its markup ends up in an input error's message.</summary>
    public const string BrokenDockerfile = """
        FROM "<u id=injected-image>alpine</u>":latest
        RUN apt-get install -y curl
        """;

    /// <summary>Writes them all into <paramref name="folder"/>.</summary>
    public static void WriteTo(string folder)
    {
        File.WriteAllText(Path.Combine(folder, PodFileName), Pod);
        File.WriteAllText(Path.Combine(folder, "compose.yaml"), Compose);
        File.WriteAllText(Path.Combine(folder, "netpol.yaml"), NetworkPolicy);
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), BrokenDockerfile);
    }
}
