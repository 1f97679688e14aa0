using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests.Distribution;

/// <summary>
/// The CLI as users get it: packed as the .NET tool <c>bulwark</c> (<c>dotnet pack -c Release</c>) and installed with
/// <c>dotnet tool install</c> from the package folder into a temporary tool path. Packing builds the CLI in Release
/// and takes a minute or two, so the tests that need it share one (<see cref="InstalledToolCollection"/>).
/// </summary>
public sealed class InstalledTool : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);

    public InstalledTool()
    {
        Folder = Directory.CreateTempSubdirectory("bulwark-tool-").FullName;
        PackageFolder = Path.Combine(Folder, "packages");
        ToolFolder = Path.Combine(Folder, "tools");

        // No build servers: a server started here would outlive the test run and hold its output open.
        var pack = ExternalCommand.Run(
            Dotnet,
            ["pack", RepositoryPaths.InRepo("src", "Bulwark.Cli", "Bulwark.Cli.csproj"), "-c", "Release", "-o", PackageFolder, "--disable-build-servers", "-nologo"],
            RepositoryPaths.Root,
            Environment(),
            PackTimeout);
        Check(pack, "dotnet pack");
        var packages = Directory.GetFiles(PackageFolder, "*.nupkg");
        Package = packages.Length == 1 ? packages[0] : throw new InvalidOperationException($"dotnet pack made {packages.Length} packages, expected bulwark's alone: {string.Join(", ", packages)}");
        Version = Path.GetFileNameWithoutExtension(Package)["bulwark.".Length..];

        // Only the local folder as a source: the install neither needs nor waits for a network feed.
        var config = Path.Combine(Folder, "nuget.config");
        File.WriteAllText(config, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n");
        var install = ExternalCommand.Run(
            Dotnet,
            ["tool", "install", "bulwark", "--tool-path", ToolFolder, "--configfile", config, "--add-source", PackageFolder, "--version", Version],
            Folder,
            Environment(),
            TimeSpan.FromMinutes(5));
        Check(install, "dotnet tool install");
        InstallOutput = install.Out;
        Command = Path.Combine(ToolFolder, OperatingSystem.IsWindows() ? "bulwark.exe" : "bulwark");
    }

    /// <summary>The dotnet host running the tests (the SDK that builds them).</summary>
    public static string Dotnet { get; } =
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ExternalCommand.FindOnPath(OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet") ?? "dotnet";

    /// <summary>Where the installed tool's launcher finds the .NET runtime: beside the dotnet host that installed it.</summary>
    public static string DotnetRoot { get; } = Path.GetDirectoryName(new FileInfo(Dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(Dotnet))!;

    public string Folder { get; }

    public string PackageFolder { get; }

    public string ToolFolder { get; }

    public string Package { get; }

    public string Version { get; }

    public string InstallOutput { get; }

    /// <summary>The installed <c>bulwark</c> command.</summary>
    public string Command { get; }

    /// <summary>Variables for a process that runs the installed tool: the tool folder first on PATH, and the runtime.</summary>
    public Dictionary<string, string?> Environment() => new(StringComparer.Ordinal)
    {
        ["PATH"] = ToolFolder + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        ["DOTNET_ROOT"] = DotnetRoot,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }

    private static void Check(ExternalCommand.Result result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed: {result.Transcript}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InstalledToolCollection : ICollectionFixture<InstalledTool>
{
    public const string Name = "installed dotnet tool";
}
