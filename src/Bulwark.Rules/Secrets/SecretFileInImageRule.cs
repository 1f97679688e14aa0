using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Secrets;

public sealed class SecretFileInImageRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2004",
        Slug = "secret-file-in-image",
        Title = "Private key or credentials file copied into the image",
        Severity = Severity.High,
        Category = "Secrets",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            A file copied into an image stays in its layer for good, even if a later instruction deletes it:
            anyone who can pull the image (a registry, a CI cache, a leaked tarball) can extract it. Known
            credential files are recognised by name and place: SSH keys (user and host), TLS and other private keys
            and keystores, `.env` files, `.netrc`, `.pgpass`, `.htpasswd`, `.git-credentials`, `.npmrc`/`.pypirc`,
            cloud credentials (`.aws/credentials`, gcloud's `application_default_credentials.json`, `.azure/`),
            kubeconfigs, IPsec `ipsec.secrets`, PPP `chap-secrets`/`pap-secrets`, GnuPG keyrings, and whole folders
            of them (`.ssh`, `.aws`, `.gnupg`). Only stages that end up in the final image are judged. In a built
            image (`bulwark image`) the layers' files themselves are read for private keys, provider tokens and
            credential lines, in every layer, so a file a later layer deletes is still reported: it is still there.
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
                COPY vpn/ipsec.secrets vpn/chap-secrets /etc/ # expect: BW2004, BW2004
                COPY .kube/config /root/.kube/config # expect: BW2004
                COPY .aws /root/.aws # expect: BW2004
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                COPY id_rsa.pub /root/.ssh/authorized_keys
                COPY .env.example ca-bundle.pem /app/
                COPY ssh_host_ed25519_key.pub known_hosts /etc/ssh/
                RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
                """),
        ],
    };

    // Files that hold credentials by what they are, whatever is in them.
    private static readonly Dictionary<string, string> CredentialFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id_rsa"] = "an SSH private key",
        ["id_dsa"] = "an SSH private key",
        ["id_ecdsa"] = "an SSH private key",
        ["id_ed25519"] = "an SSH private key",
        ["id_ecdsa_sk"] = "an SSH private key",
        ["id_ed25519_sk"] = "an SSH private key",
        [".env"] = "an environment file with secrets",
        [".netrc"] = "a .netrc with login passwords",
        ["_netrc"] = "a .netrc with login passwords",
        [".pgpass"] = "a PostgreSQL password file",
        [".my.cnf"] = "a MySQL client file with a password",
        [".htpasswd"] = "an htpasswd file",
        ["htpasswd"] = "an htpasswd file",
        [".git-credentials"] = "stored Git credentials",
        [".npmrc"] = "an .npmrc (registry tokens)",
        [".pypirc"] = "a .pypirc (PyPI tokens)",
        [".dockercfg"] = "Docker registry credentials",
        [".vault-token"] = "a Vault token",
        [".boto"] = "cloud storage credentials",
        [".s3cfg"] = "S3 credentials",
        ["credentials.json"] = "a credentials file",
        ["credentials.yml"] = "a credentials file",
        ["credentials.yaml"] = "a credentials file",
        ["client_secret.json"] = "an OAuth client secret",
        ["service-account.json"] = "a service-account key",
        ["application_default_credentials.json"] = "Google Cloud credentials",
        ["access_tokens.db"] = "Google Cloud credentials",
        ["credentials.db"] = "Google Cloud credentials",
        ["accessTokens.json"] = "Azure CLI credentials",
        ["msal_token_cache.json"] = "Azure CLI credentials",
        ["msal_token_cache.bin"] = "Azure CLI credentials",
        ["service_principal_entries.json"] = "Azure CLI credentials",
        ["secrets.yml"] = "a secrets file",
        ["secrets.yaml"] = "a secrets file",
        ["secrets.json"] = "a secrets file",
        ["terraform.tfvars"] = "Terraform variables (often credentials)",
        ["kubeconfig"] = "a kubeconfig",
        ["ipsec.secrets"] = "IPsec secrets",
        ["chap-secrets"] = "PPP secrets",
        ["pap-secrets"] = "PPP secrets",
        ["secring.gpg"] = "a GnuPG private keyring",
    };

    // Folders that hold credentials: copying one copies every key in it.
    private static readonly Dictionary<string, string> CredentialFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        [".ssh"] = "SSH keys",
        [".aws"] = "AWS credentials",
        [".azure"] = "Azure CLI credentials",
        [".kube"] = "a kubeconfig",
        [".gnupg"] = "GnuPG private keys",
        [".docker"] = "Docker registry credentials",
        ["private-keys-v1.d"] = "GnuPG private keys",
    };

    private static readonly string[] KeyExtensions = [".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".kdbx", ".p8", ".kubeconfig"];

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
                var destination = instruction.Arguments[^1].Value;
                foreach (var source in sources)
                {
                    if (Secret(source.Value, destination) is { } kind)
                    {
                        context.Report(Descriptor, target, DockerfileScope.At(instruction, source),
                            $"{instruction.Keyword} puts {source.Value} ({kind}) into the image; it stays in the layer even if deleted later.");
                    }
                }
            }
        }
    }

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        foreach (var secret in target.Secrets)
        {
            var layer = $"layer {secret.Layer + 1}" + (secret.LayerDiffId is { Length: > 19 } id ? $" ({id[..19]}…)" : string.Empty);
            var still = secret.Hidden ? "; a later layer deletes or replaces the file, but it is still in the image, in that layer" : string.Empty;
            var at = secret.Line > 0 ? $", line {secret.Line}" : string.Empty;
            context.Report(Descriptor, target, new SourceLocation("/" + secret.Path, secret.Line, secret.Line > 0 ? 1 : 0),
                $"/{secret.Path}{at}, in {layer}, holds {secret.Kind}{still}.",
                remediation: "Rebuild the image without the file: keep it out of the build context (`.dockerignore`), use `RUN --mount=type=secret,id=…` for what the build needs, and mount secrets at run time; deleting it in a later layer does not remove it. Rotate the exposed credential.");
        }
    }

    /// <summary>What a file is by its path alone when it holds credentials whatever is in it (<c>"an SSH private key"</c>); null otherwise.</summary>
    public static string? CredentialFileKind(string path) => Secret(path, path);

    private static string? Secret(string path, string destination)
    {
        if (path.StartsWith("<<", StringComparison.Ordinal) || path.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        var trimmed = path.TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        if (name.Length == 0 || TemplateSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (CredentialFiles.TryGetValue(name, out var kind) || CredentialFolders.TryGetValue(name, out kind))
        {
            return kind;
        }

        if (name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase))
        {
            return "an environment file with secrets";
        }

        // ssh_host_ed25519_key: a server's private host key (its .pub half is filtered above).
        if (name.StartsWith("ssh_host_", StringComparison.Ordinal) && name.EndsWith("_key", StringComparison.Ordinal))
        {
            return "an SSH host private key";
        }

        var folders = trimmed.Split('/');
        if ((folders.Contains(".kube") && name == "config")
            || (folders.Contains("kubernetes") && name is "admin.conf" or "super-admin.conf" or "kubelet.conf" or "controller-manager.conf" or "scheduler.conf"))
        {
            return "a kubeconfig";
        }

        if (trimmed.Contains(".config/gcloud", StringComparison.Ordinal))
        {
            return "Google Cloud credentials";
        }

        if (folders.Contains(".ssh") && name is not ("known_hosts" or "config" or "authorized_keys" or "authorized_keys2" or "environment"))
        {
            return "an SSH private key";
        }

        // A bare "credentials" is as often a source folder; it is AWS's file where it comes from or goes to ~/.aws.
        if ((folders.Contains(".docker") && name == "config.json")
            || (name == "credentials" && (folders.Contains(".aws") || destination.Contains(".aws/", StringComparison.Ordinal) || destination.EndsWith(".aws", StringComparison.Ordinal))))
        {
            return "AWS credentials";
        }

        if (KeyExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return name.EndsWith(".kubeconfig", StringComparison.OrdinalIgnoreCase) ? "a kubeconfig" : "a private key or keystore";
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
