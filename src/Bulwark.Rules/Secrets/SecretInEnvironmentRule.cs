using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Secrets;

public sealed class SecretInEnvironmentRule : Rule<Workload, DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1016",
        Slug = "secret-in-environment",
        Title = "Secret written in plain text in an environment variable",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Critical for a value in a provider's credential format (cloud, Git host, payment or chat tokens, private keys) whatever the variable is called; medium for a Dockerfile `ARG` or `ENV` whose name says secret but whose value comes from the build; low for placeholders and for variables filled from a Secret (`secretKeyRef`, `envFrom`).",
        Category = "Secrets",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            A credential written into a manifest is in version control, in every rendered chart, in `kubectl
            get -o yaml` output and in the process environment, where crash dumps, debug endpoints and child
            processes read it. The value is judged together with the name: a value in a provider's format (AWS,
            GitHub, GitLab, Slack, Stripe… tokens, private keys) is critical whatever the variable is called; a
            name that says password, secret, token or API key with a literal value is high, and so is key material
            under any name (a Fernet key, a Laravel `base64:` key, a long random `*_KEY`); weak or default
            passwords are high too, since they are the first an attacker tries. Values that are plainly something
            else (a path, an address, a reference to another variable or file, a mode word such as `htpasswd`) are
            not reported, and placeholders (`changeme`, `xxxx`, `<token>`, documentation sample keys) only at low
            severity. A variable filled from a Secret (`secretKeyRef`, `envFrom`) is still a secret in the
            environment: low severity, with a mounted Secret file as the fix.
            """,
        Remediation = "Put the value in a Secret mounted as a file (a `secret` volume) or fetch it with a secrets-manager CSI driver (Secrets Store CSI), not in `env`; rotate the exposed credential.",
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
                          value: AKIA2E0A8F3B244C9986
                        - name: FERNET_KEY # expect: BW1016
                          value: 3q2-7wV9kYzXbHq1Lm0pN8sRt4Uv6Wx2Ya5Bc7De9Fg=
                        - name: SMTP_PASSWORD # expect: BW1016
                          valueFrom:
                            secretKeyRef:
                              name: smtp
                              key: password
                        - name: LOG_LEVEL
                          value: info
                        - name: SECRET_LOCAL_HOSTNAME
                          value: 0.0.0.0
                        - name: REGISTRY_AUTH
                          value: htpasswd
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
                        - name: DB_PASSWORD_FILE
                          value: /var/run/secrets/api/db-password
                        - name: API_KEY_RATE_LIMIT
                          value: 60/minute
                        - name: DATABASE_URL
                          value: postgres://api@db.internal:5432/api
                      volumeMounts:
                        - name: api-secrets
                          mountPath: /var/run/secrets/api
                          readOnly: true
                  volumes:
                    - name: api-secrets
                      secret:
                        secretName: api
                """),
            RuleExample.Bad(SourceKind.Compose, """
                x-db-env: &db-env
                  POSTGRES_PASSWORD: Vq8#mZ2!rT5w # expect: BW1016
                  POSTGRES_DB: shop
                services:
                  db:
                    image: postgres:17.2
                    environment: *db-env
                  migrate:
                    image: shop-migrate:1.4.0
                    environment: *db-env
                  api:
                    image: api:2.0.0
                    environment:
                      - GITHUB_TOKEN=ghp_Zq7Xk2Lw9Rt4Vb8Nm3Pd6Hs1Jf5Gc0Ya2Ue7T # expect: BW1016
                      - SMTP_PASSWORD=changeme # expect: BW1016
                      - WEBHOOK_OS=linux
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  db:
                    image: postgres:17.2
                    environment:
                      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
                      POSTGRES_HOST_AUTH_METHOD: scram-sha-256
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
                      "Env": ["POSTGRES_PASSWORD_FILE=/run/secrets/db_password", "GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4"]
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
                ENV APP_KEY=base64:q1XHbT0yR8p3Lk5vM2nW7sA9dF4gJ6hC1zE8uB0oY3I= # expect: BW1016
                RUN npm ci
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM node:22-alpine
                ENV DB_PASSWORD_FILE=/run/secrets/db_password
                ENV NODE_SHA256=4c6a8f2e1b9d7c3a5e0f8b2d4c6a8f2e1b9d7c3a5e0f8b2d4c6a8f2e1b9d7c3a
                RUN --mount=type=secret,id=npm_token,env=NODE_AUTH_TOKEN npm ci
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Put the value in a Secret mounted as a file (a `secret` volume) or fetch it with a secrets-manager CSI driver (Secrets Store CSI), not in `env`; rotate the exposed credential.",
        "Use Compose `secrets:` (mounted as a file under /run/secrets; many images read `*_FILE` variables) or a secrets manager instead of `environment`; rotate the exposed credential.",
        "Pass the credential as a file (a Docker secret or a read-only mount) or fetch it from a secrets manager instead of `-e`; rotate the exposed credential.");

    // A placeholder is not a secret to rotate; the advice is where the real value goes, and that one left in place is known to all.
    private static readonly SourceText PlaceholderFix = new(
        "Supply the real value through a Secret mounted as a file (a `secret` volume) or a secrets-manager CSI driver, not `env`; a placeholder left in place is a credential everyone knows.",
        "Supply the real value through Compose `secrets:` (a file under /run/secrets; many images read `*_FILE` variables) or a secrets manager, not `environment`; a placeholder left in place is a credential everyone knows.",
        "Pass the real value as a file (a Docker secret or a read-only mount) or from a secrets manager, not with `-e`; a placeholder left in place is a credential everyone knows.");

    private const string FromSecretFix =
        "Mount the Secret as a volume and have the application read the file (many images accept a `*_FILE` variable), or use the Secrets Store CSI driver with a secrets manager; a file is not inherited by child processes nor shown in `/proc/<pid>/environ`.";

    public override void Evaluate(Workload target, RuleContext context)
    {
        // Containers that share one written variable (a YAML anchor) get one finding there.
        var reported = new HashSet<SourceLocation>();
        foreach (var container in target.Containers)
        {
            foreach (var variable in container.Environment)
            {
                if (variable.FromSecret is { } secret)
                {
                    // DB_HOST or CLIENT_ID kept in a Secret expose nothing; a password taken from one does.
                    if (!SecretDetector.NameSaysNotSecret(variable.Name.Value) && reported.Add(variable.Name.Location))
                    {
                        context.Report(Descriptor, target, variable.Name.Location,
                            $"Environment variable {variable.Name.Value} of {Holders(target, container, variable)} is filled from {secret}: the secret is still in the process environment, which child processes inherit and `/proc`, crash dumps and debug endpoints show.",
                            container.Name, Severity.Low, FromSecretFix);
                    }

                    continue;
                }

                if (variable.Value is not { } value || SecretDetector.Detect(variable.Name.Value, value.Value) is not { } match)
                {
                    continue;
                }

                // A variable written once for several services (a YAML anchor, an env_file) is reported once, with the first.
                if (variable.SharedWith.Count > 1 && variable.SharedWith[0] != target.Object.Name)
                {
                    continue;
                }

                if (reported.Add(variable.Name.Location))
                {
                    context.Report(Descriptor, target, variable.Name.Location,
                        $"Environment variable {variable.Name.Value} of {Holders(target, container, variable)} holds {match.Describe()}.",
                        container.Name, SeverityOf(match), (match.Class == SecretClass.Placeholder ? PlaceholderFix : Fix).For(target.Source));
                }
            }

            foreach (var source in container.EnvFrom)
            {
                if (source.FromSecret is { } secret && reported.Add(source.Location))
                {
                    context.Report(Descriptor, target, source.Location,
                        $"Container \"{container.Name}\" takes every key of {secret} as environment variables (envFrom): the secrets are still in the process environment, which child processes inherit and `/proc`, crash dumps and debug endpoints show.",
                        container.Name, Severity.Low, FromSecretFix);
                }
            }
        }
    }

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        foreach (var (name, value) in target.Environment)
        {
            if (SecretDetector.Detect(name, value) is { } match)
            {
                context.Report(Descriptor, target, target.Location,
                    $"Environment variable {name} in the image config holds {match.Describe()}; anyone who can pull the image can read it (`docker inspect`).",
                    severity: SeverityOf(match), remediation: match.Class == SecretClass.Placeholder ? DockerfilePlaceholderFix : DockerfileFix);
            }
        }
    }

    private static Severity SeverityOf(SecretDetector.Match match) => match.Class switch
    {
        SecretClass.Credential => Severity.Critical,
        SecretClass.Placeholder => Severity.Low,
        _ => Severity.High,
    };

    /// <summary>"container \"api\"", or the services or containers that share the written variable.</summary>
    private static string Holders(Workload target, ContainerSpec container, EnvVarSpec variable)
    {
        if (variable.SharedWith.Count > 1)
        {
            return $"services {Quoted(variable.SharedWith)} (written once, here)";
        }

        var sharing = target.Containers.Where(c => c.Environment.Any(e => e.Name.Location == variable.Name.Location)).Select(c => c.Name).ToList();
        return sharing.Count > 1 ? $"containers {Quoted(sharing)} (written once, here)" : $"container \"{container.Name}\"";
    }

    private static string Quoted(IReadOnlyList<string> names) => Listing.Join([.. names.Select(n => $"\"{n}\"")], 5);

    private const string DockerfileFix = "Never put credentials in ENV or ARG: they stay in the image config or its history (`docker history`). Pass them at build time with `RUN --mount=type=secret,id=…` and at run time as a secret file or from a secrets manager; rotate the exposed credential.";

    private const string DockerfilePlaceholderFix = "Do not give credentials defaults in ENV or ARG, not even placeholders: a placeholder that is never replaced is a credential everyone knows, and a real value would stay in the image. Pass it at build time with `RUN --mount=type=secret,id=…` and at run time as a secret file or from a secrets manager.";

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
                    context.Report(Descriptor, target, pair.Location, $"{instruction.Keyword} {pair.Key} holds {match.Describe()}.",
                        severity: SeverityOf(match), remediation: match.Class == SecretClass.Placeholder ? DockerfilePlaceholderFix : DockerfileFix);
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
