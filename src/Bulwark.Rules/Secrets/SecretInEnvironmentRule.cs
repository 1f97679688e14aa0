using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Secrets;

public sealed class SecretInEnvironmentRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1016",
        Slug = "secret-in-environment",
        Title = "Secret written in plain text in an environment variable",
        Severity = Severity.High,
        Category = "Secrets",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        Rationale = """
            A credential written into a manifest is in version control, in every rendered chart, in `kubectl
            get -o yaml` output and in the process environment, where crash dumps, debug endpoints and child
            processes read it. Values in a known credential format (AWS keys, GitHub/GitLab/Slack tokens,
            private keys, JWTs) are reported as critical.
            """,
        Remediation = "Move the value into a Secret and reference it with `valueFrom.secretKeyRef` (or mount it as a file), or fetch it from a secrets manager; rotate the exposed credential.",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.4.1"),
            new("NSA/CISA Kubernetes Hardening Guide", "Secrets"),
            new("OWASP Kubernetes Top Ten", "K08: Secrets Management Failures"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: api
                spec:
                  containers:
                    - name: api
                      image: api:2.0.0
                      env:
                        - name: DB_PASSWORD # expect: BW1016
                          value: hunter2-prod
                        - name: UPSTREAM # expect: BW1016
                          value: AKIAIOSFODNN7EXAMPLE
                        - name: LOG_LEVEL
                          value: info
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: api
                spec:
                  containers:
                    - name: api
                      image: api:2.0.0
                      env:
                        - name: DB_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: api-db
                              key: password
                        - name: DB_PASSWORD_FILE
                          value: /run/secrets/db-password
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  db:
                    image: postgres:17.2
                    environment:
                      POSTGRES_PASSWORD: hunter2-prod # expect: BW1016
                      POSTGRES_DB: shop
                  api:
                    image: api:2.0.0
                    environment:
                      - GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB # expect: BW1016
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  db:
                    image: postgres:17.2
                    environment:
                      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
                    secrets:
                      - db_password
                secrets:
                  db_password:
                    file: ./db_password.txt
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/db",
                    "Config": {
                      "Image": "postgres:17.2",
                      "User": "999",
                      "Env": [
                        "POSTGRES_PASSWORD=hunter2-prod", // expect: BW1016
                        "PGDATA=/var/lib/postgresql/data"
                      ]
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/db",
                    "Config": {
                      "Image": "postgres:17.2",
                      "User": "999",
                      "Env": ["POSTGRES_PASSWORD_FILE=/run/secrets/db_password"]
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Move the value into a Secret and reference it with `valueFrom.secretKeyRef` (or mount it as a file), or fetch it from a secrets manager; rotate the exposed credential.",
        "Use Compose `secrets:` (mounted as a file under /run/secrets; many images read `*_FILE` variables) or a secrets manager instead of `environment`; rotate the exposed credential.",
        "Pass the credential as a file (a Docker secret or a read-only mount) or fetch it from a secrets manager instead of `-e`; rotate the exposed credential.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            foreach (var variable in container.Environment)
            {
                if (variable.Value is not { } value || SecretDetector.Detect(variable.Name.Value, value.Value) is not { } match)
                {
                    continue;
                }

                var message = match.ByValue
                    ? $"Environment variable {variable.Name.Value} of container \"{container.Name}\" holds {match.Kind} in plain text."
                    : $"Environment variable {variable.Name.Value} of container \"{container.Name}\" looks like a secret and has a literal value.";
                context.Report(Descriptor, target, variable.Name.Location, message, container.Name, match.ByValue ? Severity.Critical : Severity.High, Fix.For(target.Source));
            }
        }
    }
}
