using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Parsing.Shell;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.SupplyChain;

public sealed class TlsVerificationDisabledRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2010",
        Slug = "tls-verification-disabled",
        Title = "TLS or package signature verification disabled",
        Severity = Severity.High,
        Category = "Supply chain",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            Turning off certificate checks (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`,
            `npm strict-ssl false`, `GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0`) or package signature
            checks (`apt-get --allow-unauthenticated`, `apk --allow-untrusted`, `dnf --nogpgcheck`) lets anyone
            on the network path replace what the build downloads, and the replacement ships in the image. Set in
            ENV, the switch also stays on for the application at run time. Signature switches on package-manager
            commands that fetch nothing (`apk index --allow-untrusted` over packages the build just made,
            `apt-get -s`) are not reported.
            """,
        Remediation = "Keep verification on. If a proxy re-signs TLS, add its CA certificate to the image's trust store (`COPY corp-ca.crt /usr/local/share/ca-certificates/` and `update-ca-certificates`) or mount it as a build secret; import the repository's signing key instead of skipping signature checks.",
        References =
        [
            new("CWE", "CWE-295: Improper Certificate Validation", "https://cwe.mitre.org/data/definitions/295.html"),
            new("CWE", "CWE-494: Download of Code Without Integrity Check", "https://cwe.mitre.org/data/definitions/494.html"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM python:3.12-slim
                ENV NODE_TLS_REJECT_UNAUTHORIZED=0 # expect: BW2010
                RUN curl -fsSLk https://example.com/tool -o /usr/local/bin/tool # expect: BW2010
                RUN pip install --no-cache-dir --trusted-host pypi.example.com app==1.0 # expect: BW2010
                RUN apt-get update && apt-get install -y --allow-unauthenticated tool # expect: BW2010
                RUN GIT_SSL_NO_VERIFY=1 git clone https://git.example.com/app.git # expect: BW2010
                RUN npm config set strict-ssl false # expect: BW2010
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM python:3.12-slim
                COPY corp-ca.crt /usr/local/share/ca-certificates/
                RUN update-ca-certificates
                RUN curl -fsSL https://example.com/tool -o /usr/local/bin/tool
                RUN pip install --no-cache-dir --index-url https://pypi.example.com/simple app==1.0
                RUN git -c http.sslVerify=true clone https://git.example.com/app.git
                RUN abuild -r && apk index --allow-untrusted -o /home/builder/packages/APKINDEX.tar.gz /home/builder/packages/*.apk
                """),
        ],
    };

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        // A built image's RUN steps are in its history, written back as a Dockerfile.
        if (target.History is { } history)
        {
            Evaluate(history, context);
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var instruction in target.Instructions)
        {
            if (instruction.Keyword is "ENV" or "ARG")
            {
                foreach (var pair in instruction.KeyValues)
                {
                    if (pair.Value is { } value && Variable(pair.Key, value) is { } why)
                    {
                        context.Report(Descriptor, target, pair.Location, $"{instruction.Keyword} {pair.Key}={value} {why}.");
                    }
                }
            }
        }

        foreach (var (_, command) in DockerfileScope.Commands(target, target.Stages))
        {
            foreach (var assignment in command.Assignments.Concat(command.Is("export") ? command.Arguments : []))
            {
                if (ShellCommandParser.IsAssignment(assignment)
                    && Variable(ShellCommandParser.AssignmentName(assignment), ShellCommandParser.AssignmentValue(assignment)) is { } why)
                {
                    context.Report(Descriptor, target, DockerfileScope.At(target, command, assignment), $"{assignment.Value} {why}.");
                }
            }

            if (Option(command) is { } found)
            {
                context.Report(Descriptor, target, DockerfileScope.At(target, command, found.Word), $"{command.Name} {found.Word.Value} {found.Why}.");
            }
        }
    }

    private static (ShellWord Word, string Why)? Option(ShellCommand command)
    {
        const string tls = "turns off TLS certificate verification";
        const string signatures = "turns off package signature verification";
        var name = command.Name;
        ShellWord? word = name switch
        {
            "curl" => command.FindShortOption('k') ?? command.FindOption("--insecure", "--proxy-insecure"),
            "wget" => command.FindOption("--no-check-certificate"),
            _ => null,
        };
        if (word is not null)
        {
            return (word, tls);
        }

        var package = PackageManagerCommand.Read(command);
        if (package is { Manager: "pip" } && (command.FindOption("--trusted-host") ?? SettingWord(command, "trusted-host", null)) is { } pip)
        {
            return (pip, "trusts a host without verifying its certificate");
        }

        // A signature switch matters only where packages or indexes come from a repository: `apk index
        // --allow-untrusted` indexes packages the build just made, and `apt-get -s` installs nothing.
        if (package is not null)
        {
            var option = package.Manager switch
            {
                "apt" => command.FindOption("--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"),
                "apk" => command.FindOption("--allow-untrusted"),
                "dnf" or "zypper" => command.FindOption("--nogpgcheck", "--no-gpg-checks"),
                _ => null,
            };
            if (option is not null && package.Fetches)
            {
                return (option, signatures);
            }
        }

        if (name == "rpm" && command.FindOption("--nosignature", "--nodigest") is { } rpmOption)
        {
            return (rpmOption, signatures);
        }

        if (name is "npm" or "yarn" or "pnpm" && (command.FindOption("--strict-ssl") is { } strict && strict.Value.EndsWith("=false", StringComparison.Ordinal)
            ? strict : SettingWord(command, "strict-ssl", "false")) is { } npm)
        {
            return (npm, tls);
        }

        if (name == "git" && (SettingWord(command, "http.sslverify", "false") ?? SettingWord(command, "http.sslverify", "0")) is { } git)
        {
            return (git, tls);
        }

        if (name == "conda" && (SettingWord(command, "ssl_verify", "false") ?? SettingWord(command, "ssl_verify", "no")) is { } conda)
        {
            return (conda, tls);
        }

        if (name == "composer" && (SettingWord(command, "secure-http", "false") ?? SettingWord(command, "disable-tls", "true")) is { } composer)
        {
            return (composer, tls);
        }

        // Configuration written from the shell: apt.conf, yum.repos.d, .wgetrc, .curlrc.
        foreach (var arg in command.Arguments)
        {
            var v = arg.Value;
            if ((v.Contains("Verify-Peer", StringComparison.OrdinalIgnoreCase) || v.Contains("Verify-Host", StringComparison.OrdinalIgnoreCase))
                && v.Contains("false", StringComparison.OrdinalIgnoreCase))
            {
                return (arg, tls);
            }

            var compact = v.Replace(" ", string.Empty, StringComparison.Ordinal);
            if (compact.Contains("sslverify=0", StringComparison.OrdinalIgnoreCase) || compact.Contains("sslverify=false", StringComparison.OrdinalIgnoreCase)
                || compact.Contains("check_certificate=off", StringComparison.OrdinalIgnoreCase))
            {
                return (arg, tls);
            }

            // A local repository (`deb [trusted=yes] file:/…`) built in the same step is not fetched over a network.
            var local = compact.Contains("file:/", StringComparison.OrdinalIgnoreCase) || compact.Contains("copy:/", StringComparison.OrdinalIgnoreCase);
            if (!local && compact.Contains("[trusted=yes]", StringComparison.OrdinalIgnoreCase) || compact.Contains("AllowUnauthenticated\"true\"", StringComparison.OrdinalIgnoreCase)
                || compact.Contains("AllowUnauthenticated=true", StringComparison.OrdinalIgnoreCase) || compact.Contains("gpgcheck=0", StringComparison.OrdinalIgnoreCase))
            {
                return (arg, signatures);
            }

            if (name is "echo" or "printf" && v is "insecure" or "-k" or "--insecure"
                && command.Redirections.Any(r => r.Target?.Value.EndsWith(".curlrc", StringComparison.Ordinal) == true))
            {
                return (arg, tls);
            }
        }

        return null;
    }

    /// <summary>A setting given as <c>key value</c>, <c>key=value</c> or <c>section.key=value</c> (case-insensitive); with a null value, any value.</summary>
    private static ShellWord? SettingWord(ShellCommand command, string key, string? value)
    {
        var args = command.Arguments.ToList();
        for (var i = 0; i < args.Count; i++)
        {
            var v = args[i].Value;
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            var k = (eq >= 0 ? v[..eq] : v).TrimStart('-');
            if (!k.Equals(key, StringComparison.OrdinalIgnoreCase) && !k.EndsWith("." + key, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var given = eq >= 0 ? v[(eq + 1)..] : i + 1 < args.Count ? args[i + 1].Value : null;
            if (given is not null && (value is null || given.Equals(value, StringComparison.OrdinalIgnoreCase)))
            {
                return args[i];
            }
        }

        return null;
    }

    /// <summary>Why setting <paramref name="name"/> to <paramref name="value"/> turns verification off, or null.</summary>
    private static string? Variable(string name, string value)
    {
        var v = value.Trim().Trim('"', '\'');
        var off = v is "0" or "false" or "False" or "FALSE" or "no" or "off";
        return name switch
        {
            "GIT_SSL_NO_VERIFY" when v.Length > 0 && !off => "makes git skip TLS certificate verification",
            "NODE_TLS_REJECT_UNAUTHORIZED" when v == "0" => "makes Node.js accept any TLS certificate",
            "PYTHONHTTPSVERIFY" when v == "0" => "makes Python skip TLS certificate verification",
            "NPM_CONFIG_STRICT_SSL" or "npm_config_strict_ssl" or "YARN_STRICT_SSL" when off => "makes the package manager accept any TLS certificate",
            "PIP_TRUSTED_HOST" or "PIP_TRUSTED_HOSTS" when v.Length > 0 => "makes pip trust hosts without verifying their certificates",
            "CONDA_SSL_VERIFY" when off => "makes conda skip TLS certificate verification",
            "GOINSECURE" when v.Length > 0 => "lets Go fetch modules without TLS verification",
            "GOSUMDB" when v == "off" => "turns off Go's module checksum database",
            "GOFLAGS" when v.Contains("-insecure", StringComparison.Ordinal) => "lets Go fetch modules without TLS verification",
            _ => null,
        };
    }
}
