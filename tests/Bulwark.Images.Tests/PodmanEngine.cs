using System.Diagnostics;

namespace Bulwark.Images.Tests;

/// <summary>
/// A real Docker Engine API for <c>docker:</c> tests: <c>podman system service</c> on a unix socket of its own, over a
/// private image store (<c>--root</c>/<c>--runroot</c> in a temp folder, vfs driver) so the tests neither see nor
/// leave images in the machine's store. Images get in with <c>podman load</c>, <c>import</c> or <c>build</c>.
/// </summary>
public sealed class PodmanEngine : IDisposable
{
    private readonly TempFolder _temp = new();

    // podman refuses a runroot longer than 50 characters, which a TempFolder path is.
    private readonly string _runRoot = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "bw-run-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    private readonly Process? _service;
    private readonly Exception? _startError;
    private readonly System.Text.StringBuilder _log = new();

    public PodmanEngine()
    {
        MissingTools = ImageTools.Missing("podman");
        if (MissingTools.Count > 0)
        {
            return;
        }

        try
        {
            var start = new ProcessStartInfo("podman") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in StoreArguments.Concat(["system", "service", "--time=0", Host]))
            {
                start.ArgumentList.Add(argument);
            }

            _service = Process.Start(start) ?? throw new InvalidOperationException("podman system service did not start");
            _service.OutputDataReceived += (_, line) => Log(line.Data);
            _service.ErrorDataReceived += (_, line) => Log(line.Data);
            _service.BeginOutputReadLine();
            _service.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(SocketPath))
            {
                if (_service.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"podman system service did not open {SocketPath}: {_log}");
                }

                Thread.Sleep(100);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            _startError = e;
        }
    }

    public IReadOnlyList<string> MissingTools { get; }

    public string SocketPath => _temp["podman.sock"];

    /// <summary>The engine's address as DOCKER_HOST takes it.</summary>
    public string Host => "unix://" + SocketPath;

    /// <summary>Options that read <c>docker:</c> images from this engine.</summary>
    public ImageReadOptions Options => ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerHost = Host } };

    /// <summary>A scratch folder for build contexts and archives.</summary>
    public TempFolder Temp => _temp;

    private string[] StoreArguments => ["--root", _temp["root"], "--runroot", _runRoot, "--storage-driver", "vfs"];

    /// <summary>Skips or fails the calling test when podman is missing, fails it when the service did not start.</summary>
    public void Require()
    {
        ImageTools.Require(MissingTools);
        if (_startError is not null)
        {
            throw new InvalidOperationException("starting podman system service failed: " + _startError.Message, _startError);
        }
    }

    /// <summary>Runs podman against this engine's private store.</summary>
    public string Podman(params string[] arguments) => ImageTools.Run("podman", [.. StoreArguments, .. arguments]);

    private void Log(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public void Dispose()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            _service.WaitForExit(10_000);
        }

        _service?.Dispose();
        _temp.Dispose();
        try
        {
            Directory.Delete(_runRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, as TempFolder's.
        }
    }
}
