namespace Bulwark.Images;

/// <summary>
/// How <c>docker:</c> and <c>registry:</c> images are reached: the engine's socket, registry credentials, and the
/// trust the command line can change (<c>--username</c>, <c>--password-stdin</c>, <c>--insecure</c>). Unset values
/// come from the environment as the docker client reads them.
/// </summary>
public sealed record RemoteImageOptions
{
    public static RemoteImageOptions Default { get; } = new();

    /// <summary><c>unix:///path</c> or <c>tcp://host:port</c>; null reads <c>DOCKER_HOST</c>, then <c>unix:///var/run/docker.sock</c>.</summary>
    public string? DockerHost { get; init; }

    /// <summary>Registry user; with <see cref="Password"/> it overrides <c>~/.docker/config.json</c>.</summary>
    public string? Username { get; init; }

    /// <summary>Registry password or token (the CLI reads it from standard input, never from an argument).</summary>
    public string? Password { get; init; }

    /// <summary>Allows plain HTTP to the registry and skips TLS certificate checks: only when the user asks.</summary>
    public bool Insecure { get; init; }

    /// <summary>The docker client's config file; null reads <c>$DOCKER_CONFIG/config.json</c>, then <c>~/.docker/config.json</c>.</summary>
    public string? DockerConfigPath { get; init; }

    /// <summary>
    /// A PEM file of CA certificates trusted for registries besides the system's (a private registry's CA). The
    /// system store already honours <c>SSL_CERT_FILE</c>/<c>SSL_CERT_DIR</c> when set before the process starts.
    /// </summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>How long a metadata request may take, and how long a layer stream may stay silent.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The engine address in force: the option, else <c>DOCKER_HOST</c>, else the default socket.</summary>
    public string EffectiveDockerHost =>
        DockerHost is { Length: > 0 } host ? host
        : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } env ? env
        : "unix:///var/run/docker.sock";
}
