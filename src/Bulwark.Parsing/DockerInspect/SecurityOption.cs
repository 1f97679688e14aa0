using Bulwark.Core.Model;

namespace Bulwark.Parsing.DockerInspect;

/// <summary>
/// Docker's <c>--security-opt</c> values, as Docker and Compose accept them: <c>key=value</c>, <c>key:value</c>
/// (legacy), or a bare key (<c>no-new-privileges</c>).
/// </summary>
public static class SecurityOption
{
    /// <summary>How a disabled SELinux separation (<c>label=disable</c>) is recorded in <see cref="SeLinuxOptions.Type"/>.</summary>
    public const string SeLinuxDisabledType = "disabled";

    /// <summary>Splits an option into its name and value the way Compose and the Docker CLI do.</summary>
    public static (string Key, string? Value) Split(string option)
    {
        var parsed = Compose.ComposeSecurityOption.Parse(option, default);
        return (parsed.Name.Trim().ToLowerInvariant(), parsed.Value?.Trim());
    }

    /// <summary>A seccomp or AppArmor option value: <c>unconfined</c>, a profile path or name, or <c>builtin</c>/<c>runtime/default</c>.</summary>
    public static SecurityProfile Profile(string? value) => value switch
    {
        null or "" => new SecurityProfile("RuntimeDefault"),
        "unconfined" => new SecurityProfile("Unconfined"),
        "builtin" or "runtime/default" or "docker-default" or "docker/default" => new SecurityProfile("RuntimeDefault"),
        _ => new SecurityProfile("Localhost", value),
    };
}
