using System.Text;
using System.Text.Json;

namespace Bulwark.Images.Sources;

/// <summary>
/// The user and password for one registry: given explicitly (<c>--username</c>, <c>--password-stdin</c>), else read
/// from the docker client's config (<c>auths.HOST.auth</c>, base64 <c>user:password</c>). Credential helpers
/// (<c>credsStore</c>, <c>credHelpers</c>) are external programs Bulwark does not run; <see cref="Note"/> says so,
/// for the message when the registry then refuses access.
/// </summary>
internal sealed record RegistryCredentials(string? Username, string? Password, string Origin, string? Note)
{
    public bool Present => Username is not null && Password is not null;

    public static RegistryCredentials For(string registry, RemoteImageOptions remote, string describe)
    {
        if (remote.Username is not null || remote.Password is not null)
        {
            return remote.Username is null || remote.Password is null
                ? throw new ImageReadException($"{describe}: a registry username needs a password and a password needs a username")
                : new RegistryCredentials(remote.Username, remote.Password, "--username", null);
        }

        var path = remote.DockerConfigPath
            ?? (Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } folder
                ? Path.Combine(folder, "config.json")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json"));
        if (!File.Exists(path))
        {
            return new RegistryCredentials(null, null, path, null);
        }

        try
        {
            var info = new FileInfo(path);
            if (info.Length > 1024 * 1024)
            {
                throw new ImageReadException($"{describe}: {path} is larger than 1 MiB, too large for a docker config");
            }

            using var config = JsonDocument.Parse(File.ReadAllBytes(path));
            return FromConfig(config.RootElement, registry, path, describe);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ImageReadException($"{describe}: cannot read the docker config {path}: {e.Message}", e);
        }
    }

    private static RegistryCredentials FromConfig(JsonElement config, string registry, string path, string describe)
    {
        var keys = registry == "docker.io"
            ? new[] { "https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io" }
            : [registry];
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                if (!keys.Contains(HostOf(entry.Name), StringComparer.OrdinalIgnoreCase) && !keys.Contains(entry.Name, StringComparer.Ordinal))
                {
                    continue;
                }

                if (ImageJson.String(entry.Value, "auth") is { Length: > 0 } auth)
                {
                    var text = Decode(auth) ?? throw new ImageReadException($"{describe}: the auth of {entry.Name} in {path} is not base64 of user:password");
                    var colon = text.IndexOf(':', StringComparison.Ordinal);
                    return colon > 0
                        ? new RegistryCredentials(text[..colon], text[(colon + 1)..], path, null)
                        : throw new ImageReadException($"{describe}: the auth of {entry.Name} in {path} is not user:password");
                }

                if (ImageJson.String(entry.Value, "username") is { } user && ImageJson.String(entry.Value, "password") is { } password)
                {
                    return new RegistryCredentials(user, password, path, null);
                }

                if (ImageJson.String(entry.Value, "identitytoken") is { Length: > 0 })
                {
                    return new RegistryCredentials(null, null, path, $"{path} holds an identity token for {entry.Name}, which Bulwark does not use");
                }
            }
        }

        var helper = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("credHelpers", out var helpers) && ImageJson.String(helpers, registry) is { } named
            ? named
            : ImageJson.String(config, "credsStore");
        return new RegistryCredentials(null, null, path, helper is null
            ? null
            : $"{path} keeps credentials with docker-credential-{helper}, a helper program Bulwark does not run");
    }

    /// <summary>A config key's host: keys are hosts, or URLs as <c>docker login</c> once wrote them.</summary>
    private static string HostOf(string key)
    {
        var text = key.Contains("://", StringComparison.Ordinal) ? key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..] : key;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? text : text[..slash];
    }

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
