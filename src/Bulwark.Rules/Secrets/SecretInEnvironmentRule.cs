using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Secrets;

public sealed class SecretInEnvironmentRule : Rule<Workload, DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1016",
        Slug = "secret-in-environment",
        Title = "Secret written in plain text in an environment variable",
        Severity = Severity.High,
        Category = "Secrets",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile],
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
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM node:22-alpine
                ARG NPM_TOKEN # expect: BW1016
                ENV DB_PASSWORD=s3cr3t-Pa55 # expect: BW1016
                ENV NODE_AUTH_TOKEN=${NPM_TOKEN} # expect: BW1016
                RUN npm ci
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM node:22-alpine
                ENV DB_PASSWORD_FILE=/run/secrets/db_password
                RUN --mount=type=secret,id=npm_token,env=NODE_AUTH_TOKEN npm ci
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

    private const string DockerfileFix = "Never put credentials in ENV or ARG: they stay in the image config or its history (`docker history`). Pass them at build time with `RUN --mount=type=secret,id=…` and at run time as a secret file or from a secrets manager; rotate the exposed credential.";

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        var inImage = DockerfileScope.FinalImageStages(target).ToHashSet();
        foreach (var instruction in target.Instructions)
        {
            if (instruction.Keyword is not ("ENV" or "ARG"))
            {
                continue;
            }

            var reachesImage = instruction.Stage is { } stage && inImage.Contains(stage);
            foreach (var pair in instruction.KeyValues)
            {
                var raw = Unquote(pair.RawValue);
                if (raw is null)
                {
                    // A value given with --build-arg is recorded in the history of every RUN it is in scope of.
                    if (instruction.Keyword == "ARG" && reachesImage && SecretDetector.NameLooksSecret(pair.Key))
                    {
                        context.Report(Descriptor, target, pair.Location,
                            $"Build argument {pair.Key} looks like a secret; a value passed with --build-arg is kept in the image history.",
                            severity: Severity.Medium, remediation: DockerfileFix);
                    }

                    continue;
                }

                if (SecretDetector.Detect(pair.Key, raw) is { } match)
                {
                    var message = match.ByValue
                        ? $"{instruction.Keyword} {pair.Key} holds {match.Kind} in plain text."
                        : $"{instruction.Keyword} {pair.Key} looks like a secret and has a literal value.";
                    context.Report(Descriptor, target, pair.Location, message, severity: match.ByValue ? Severity.Critical : Severity.High, remediation: DockerfileFix);
                }
                else if (instruction.Keyword == "ENV" && reachesImage && raw.Contains('$', StringComparison.Ordinal)
                    && SecretDetector.NameLooksSecret(pair.Key))
                {
                    context.Report(Descriptor, target, pair.Location,
                        $"ENV {pair.Key} looks like a secret and copies a build-time value into the image's environment.",
                        severity: Severity.Medium, remediation: DockerfileFix);
                }
            }
        }
    }

    private static string? Unquote(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        return raw.Length >= 2 && raw[0] == raw[^1] && raw[0] is '"' or '\'' ? raw[1..^1] : raw;
    }
}
