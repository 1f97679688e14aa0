using Bulwark.Parsing.Shell;

namespace Bulwark.Rules.Internal;

/// <summary>What a package-manager command does to the image and whether it talks to a repository.</summary>
internal enum PackageOperation
{
    /// <summary>Works on local files or state only, or only pretends: <c>apk index</c>, <c>apt-get -s install</c>, <c>dnf remove</c>, <c>apk info</c>.</summary>
    None,

    /// <summary>Installs or upgrades packages: <c>apt-get install</c>, <c>apk add</c>, <c>dnf upgrade</c>, <c>pip install</c>.</summary>
    Install,

    /// <summary>Fetches packages without installing them: <c>apt-get download</c>, <c>apt-get install --download-only</c>, <c>dnf install --downloadonly</c>, <c>pip download</c>.</summary>
    Download,

    /// <summary>Fetches the repository index only: <c>apt-get update</c>, <c>apk update</c>, <c>dnf makecache</c>, <c>zypper refresh</c>.</summary>
    RefreshIndex,
}

/// <summary>
/// A command of a system or language package manager (apt, apk, yum/dnf, zypper, pip), read once so that every
/// rule agrees on what it does. Commands that install nothing — a simulation (<c>apt-get install -s</c>,
/// <c>pip install --dry-run</c>), a download (<c>apt-get download</c>, <c>yum install --downloadonly</c>) or a local
/// step such as indexing packages the build just made (<c>apk index</c>) — are not installs: they leave no
/// installed packages, no recommended packages and no package cache of an install behind.
/// </summary>
/// <param name="Manager">The family: <c>apt</c>, <c>apk</c>, <c>dnf</c> (yum, dnf, microdnf, tdnf), <c>zypper</c> or <c>pip</c>.</param>
/// <param name="Command">The shell command.</param>
/// <param name="Subcommand">The word naming the operation (<c>install</c>, <c>add</c>…), or null when none was given.</param>
/// <param name="Operation">What the command does.</param>
internal sealed record PackageManagerCommand(string Manager, ShellCommand Command, ShellWord? Subcommand, PackageOperation Operation)
{
    private static readonly string[] AptValueOptions = ["-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"];
    private static readonly string[] ApkValueOptions = ["-X", "--repository", "-p", "--root", "-t", "--virtual", "--cache-dir", "--keys-dir", "--arch", "--repositories-file", "-o", "--output"];
    private static readonly string[] DnfValueOptions = ["--setopt", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "-c", "--config", "--repo", "--repoid", "--repofrompath", "-x", "--exclude", "--destdir", "--downloaddir", "--nogpgcheck-for"];
    private static readonly string[] ZypperValueOptions = ["--root", "-R", "--repo", "-r", "-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir", "--pkg-cache-dir", "--from", "--type", "-t", "--download"];
    private static readonly string[] PipValueOptions = ["-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--target", "-t", "--prefix", "--root", "--python", "--cache-dir", "--log"];

    /// <summary>True when the command leaves installed (or upgraded) packages in the image.</summary>
    public bool Installs => Operation == PackageOperation.Install;

    /// <summary>True when the command downloads from a repository (packages or its index), so the repository's signatures matter.</summary>
    public bool Fetches => Operation is PackageOperation.Install or PackageOperation.Download or PackageOperation.RefreshIndex;

    /// <summary>The package-manager reading of <paramref name="command"/>, or null when it is not a package manager this knows.</summary>
    public static PackageManagerCommand? Read(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Name switch
        {
            "apt-get" or "apt" or "aptitude" => Apt(command),
            "apk" => Apk(command),
            "yum" or "dnf" or "microdnf" or "tdnf" => Dnf(command),
            "zypper" => Zypper(command),
            _ when IsPip(command) => Pip(command),
            _ => null,
        };
    }

    /// <summary>The first operand, skipping the values of <paramref name="optionsWithValue"/> (<c>install</c> in <c>apt-get -o A=B -y install x</c>).</summary>
    public static ShellWord? Operand(IEnumerable<ShellWord> arguments, IReadOnlyCollection<string> optionsWithValue)
    {
        var skipNext = false;
        foreach (var word in arguments)
        {
            if (skipNext)
            {
                skipNext = false;
                continue;
            }

            if (word.Value.StartsWith('-'))
            {
                skipNext = optionsWithValue.Contains(word.Value);
                continue;
            }

            return word;
        }

        return null;
    }

    private static PackageManagerCommand Apt(ShellCommand command)
    {
        var sub = Operand(command.Arguments, AptValueOptions);
        var operation = sub?.Value switch
        {
            "install" or "reinstall" or "upgrade" or "dist-upgrade" or "full-upgrade" or "build-dep" or "satisfy" or "safe-upgrade" => PackageOperation.Install,
            "download" or "source" or "changelog" => PackageOperation.Download,
            "update" => PackageOperation.RefreshIndex,
            _ => PackageOperation.None,
        };

        // apt-get's no-action switches print what would happen and change nothing; --print-uris only lists downloads.
        if (command.HasOption("--simulate", "--dry-run", "--just-print", "--no-act", "--recon", "--print-uris") || command.FindShortOption('s') is not null)
        {
            operation = PackageOperation.None;
        }
        else if (operation == PackageOperation.Install && (command.HasOption("--download-only") || command.FindShortOption('d') is not null))
        {
            operation = PackageOperation.Download;
        }

        return new PackageManagerCommand("apt", command, sub, operation);
    }

    private static PackageManagerCommand Apk(ShellCommand command)
    {
        var sub = Operand(command.Arguments, ApkValueOptions);
        var operation = sub?.Value switch
        {
            "add" or "upgrade" or "fix" => PackageOperation.Install,
            "fetch" => PackageOperation.Download,
            "update" => PackageOperation.RefreshIndex,
            _ => PackageOperation.None,
        };
        if (operation == PackageOperation.Install && (command.HasOption("--simulate") || command.FindShortOption('s') is not null))
        {
            operation = PackageOperation.None;
        }

        return new PackageManagerCommand("apk", command, sub, operation);
    }

    private static PackageManagerCommand Dnf(ShellCommand command)
    {
        var sub = Operand(command.Arguments, DnfValueOptions);
        var verb = sub?.Value;

        // `dnf group install x`, `dnf module install x`: the operation is the word after the group.
        if (verb is "group" or "groups" or "module" && sub is not null)
        {
            verb = Operand(command.Arguments.SkipWhile(w => !ReferenceEquals(w, sub)).Skip(1), DnfValueOptions)?.Value switch
            {
                "install" or "update" or "upgrade" => "install",
                _ => null,
            };
        }

        var operation = verb switch
        {
            "install" or "groupinstall" or "localinstall" or "reinstall" or "update" or "upgrade" or "update-minimal" or "upgrade-minimal"
                or "distro-sync" or "distrosync" or "dist-upgrade" or "builddep" or "groupupdate" => PackageOperation.Install,
            "download" => PackageOperation.Download,
            "makecache" => PackageOperation.RefreshIndex,
            _ => PackageOperation.None,
        };
        if (operation == PackageOperation.Install)
        {
            if (command.HasOption("--assumeno"))
            {
                operation = PackageOperation.None;
            }
            else if (command.HasOption("--downloadonly", "--download-only"))
            {
                operation = PackageOperation.Download;
            }
        }

        return new PackageManagerCommand("dnf", command, sub, operation);
    }

    private static PackageManagerCommand Zypper(ShellCommand command)
    {
        var sub = Operand(command.Arguments, ZypperValueOptions);
        var operation = sub?.Value switch
        {
            "install" or "in" or "update" or "up" or "patch" or "dist-upgrade" or "dup" or "source-install" or "si" or "install-new-recommends" or "inr" => PackageOperation.Install,
            "download" or "source-download" => PackageOperation.Download,
            "refresh" or "ref" => PackageOperation.RefreshIndex,
            _ => PackageOperation.None,
        };
        if (operation == PackageOperation.Install)
        {
            // `-D` is --dry-run after the subcommand but --reposd-dir before it.
            if (command.HasOption("--dry-run") || command.OptionWords.SkipWhile(w => !ReferenceEquals(w, sub)).Any(w => w.Value == "-D"))
            {
                operation = PackageOperation.None;
            }
            else if (command.HasOption("--download-only") || command.Arguments.Any(w => w.Value == "--download=only"))
            {
                operation = PackageOperation.Download;
            }
        }

        return new PackageManagerCommand("zypper", command, sub, operation);
    }

    private static PackageManagerCommand Pip(ShellCommand command)
    {
        // `python -m pip install x`: the pip arguments start after `-m pip`.
        var arguments = command.Arguments.ToList();
        var m = arguments.FindIndex(w => w.Value == "-m");
        var pipArguments = command.Name.StartsWith("python", StringComparison.Ordinal) && m >= 0 ? arguments.Skip(m + 2) : arguments;
        var sub = Operand(pipArguments, PipValueOptions);
        var operation = sub?.Value switch
        {
            "install" => PackageOperation.Install,
            "download" or "wheel" => PackageOperation.Download,
            _ => PackageOperation.None,
        };
        if (operation == PackageOperation.Install && command.HasOption("--dry-run"))
        {
            operation = PackageOperation.None;
        }
        else if (operation == PackageOperation.Install && command.HasOption("--download"))
        {
            // pip before 8 downloaded with `pip install --download DIR`.
            operation = PackageOperation.Download;
        }

        return new PackageManagerCommand("pip", command, sub, operation);
    }

    private static bool IsPip(ShellCommand command)
    {
        var name = command.Name;
        if (name.StartsWith("pip", StringComparison.Ordinal))
        {
            return name.Length == 3 || name[3..].All(c => char.IsAsciiDigit(c) || c == '.');
        }

        if (name.StartsWith("python", StringComparison.Ordinal) && (name.Length == 6 || name[6..].All(c => char.IsAsciiDigit(c) || c == '.')))
        {
            var arguments = command.Arguments.Select(w => w.Value).ToList();
            var m = arguments.IndexOf("-m");
            return m >= 0 && m + 1 < arguments.Count && arguments[m + 1] == "pip";
        }

        return false;
    }
}
