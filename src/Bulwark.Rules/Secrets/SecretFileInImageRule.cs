using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Secrets;

public sealed class SecretFileInImageRule : Rule<DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2004",
        Slug = "secret-file-in-image",
        Title = "Private key or credentials file copied into the image",
        Severity = Severity.High,
        Category = "Secrets",
        Sources = [SourceKind.Dockerfile],
        Rationale = """
            A file copied into an image stays in its layer for good, even if a later instruction deletes it:
            anyone who can pull the image (a registry, a CI cache, a leaked tarball) can extract SSH keys, TLS
            private keys, `.env` files and cloud or package-registry credentials from it. Only stages that end up
            in the final image are judged.
            """,
        Remediation = "Do not copy credentials into the image: list them in `.dockerignore`, use `RUN --mount=type=secret,id=…` (or `--mount=type=ssh`) for what the build needs, and mount secrets at run time; rotate anything already published.",
        References =
        [
            new("CIS Docker Benchmark", "4.10: Ensure secrets are not stored in Dockerfiles"),
            new("Docker documentation", "Build secrets", "https://docs.docker.com/build/building/secrets/"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                COPY id_rsa /root/.ssh/id_rsa # expect: BW2004
                COPY .env /app/ # expect: BW2004
                COPY config/server.key /app/config/ # expect: BW2004
                ADD ["credentials.json", "/etc/gcloud/"] # expect: BW2004
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                COPY id_rsa.pub /root/.ssh/authorized_keys
                COPY .env.example ca-bundle.pem /app/
                RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
                """),
        ],
    };

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", ".env", "credentials", "credentials.json",
        "credentials.yml", "credentials.yaml", ".git-credentials", ".netrc", "_netrc", ".npmrc", ".pypirc", ".dockercfg", ".htpasswd",
        "kubeconfig", ".pgpass", ".my.cnf", "secrets.yml", "secrets.yaml", "secrets.json", "client_secret.json", "service-account.json",
        "terraform.tfvars", ".vault-token",
    };

    private static readonly string[] KeyExtensions = [".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".kdbx"];

    // Examples and templates of secret files hold placeholders, not secrets.
    private static readonly string[] TemplateSuffixes = [".example", ".sample", ".template", ".tmpl", ".dist", ".defaults", ".default", ".tpl", ".pub"];

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in DockerfileScope.FinalImageStages(target))
        {
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword is not ("COPY" or "ADD") || instruction.Arguments.Count < 2)
                {
                    continue;
                }

                var sources = instruction.Arguments.Take(instruction.Arguments.Count - 1);
                foreach (var source in sources)
                {
                    if (Secret(source.Value) is { } kind)
                    {
                        context.Report(Descriptor, target, DockerfileScope.At(instruction, source),
                            $"{instruction.Keyword} puts {source.Value} ({kind}) into the image; it stays in the layer even if deleted later.");
                    }
                }
            }
        }
    }

    private static string? Secret(string path)
    {
        if (path.StartsWith("<<", StringComparison.Ordinal) || path.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        var name = path.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name.Length == 0 || TemplateSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (SecretNames.Contains(name) || name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase))
        {
            return name.StartsWith("id_", StringComparison.Ordinal) ? "an SSH private key" : "a credentials file";
        }

        if (path.Contains(".aws/credentials", StringComparison.Ordinal) || path.Contains(".docker/config.json", StringComparison.Ordinal)
            || path.Contains(".ssh/", StringComparison.Ordinal) && !name.EndsWith(".pub", StringComparison.Ordinal) && name is not ("known_hosts" or "config" or "authorized_keys"))
        {
            return "a credentials file";
        }

        if (KeyExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return "a private key or keystore";
        }

        // Certificates are public; a .pem named like a key (key.pem, privkey.pem, server-key.pem) holds the private half.
        if (name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) && name.Contains("key", StringComparison.OrdinalIgnoreCase)
            && !name.Contains("pub", StringComparison.OrdinalIgnoreCase))
        {
            return "a private key";
        }

        return null;
    }
}
