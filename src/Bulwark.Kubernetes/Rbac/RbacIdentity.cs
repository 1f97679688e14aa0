namespace Bulwark.Kubernetes.Rbac;

public enum RbacIdentityKind
{
    User,
    Group,
    ServiceAccount,
}

/// <summary>
/// Who makes a request, as the authenticator hands it to RBAC: a user name and groups. A service account
/// authenticates as <c>system:serviceaccount:NS:NAME</c> in the groups <c>system:serviceaccounts</c>,
/// <c>system:serviceaccounts:NS</c> and <c>system:authenticated</c>; a user as its name in
/// <c>system:authenticated</c> (<c>system:anonymous</c> in <c>system:unauthenticated</c>); a group stands for
/// what membership of that group alone grants.
/// </summary>
public sealed record RbacIdentity(RbacIdentityKind Kind, string Name, string Namespace, string UserName, IReadOnlyList<string> Groups)
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";
    public const string Anonymous = "system:anonymous";
    public const string AllServiceAccounts = "system:serviceaccounts";
    public const string ServiceAccountUserPrefix = "system:serviceaccount:";

    public static string ServiceAccountUserName(string ns, string name) => ServiceAccountUserPrefix + ns + ":" + name;

    public static string ServiceAccountGroup(string ns) => AllServiceAccounts + ":" + ns;

    public static RbacIdentity ForServiceAccount(string ns, string name) =>
        new(RbacIdentityKind.ServiceAccount, name, ns, ServiceAccountUserName(ns, name), [AllServiceAccounts, ServiceAccountGroup(ns), Authenticated]);

    public static RbacIdentity ForUser(string name, params string[] extraGroups)
    {
        if (name.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            var rest = name[ServiceAccountUserPrefix.Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && colon < rest.Length - 1)
            {
                return ForServiceAccount(rest[..colon], rest[(colon + 1)..]);
            }
        }

        var groups = new List<string>(extraGroups);
        groups.Add(name == Anonymous ? Unauthenticated : Authenticated);
        return new(RbacIdentityKind.User, name, string.Empty, name, [.. groups.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>A member of <paramref name="group"/>, counting only what the group itself is granted.</summary>
    public static RbacIdentity ForGroup(string group) => new(RbacIdentityKind.Group, group, string.Empty, string.Empty, [group]);

    /// <summary>Parses <c>user:NAME</c>, <c>group:NAME</c> or <c>sa:NS/NAME</c> (also <c>serviceaccount:NS:NAME</c>).</summary>
    public static bool TryParse(string text, out RbacIdentity? identity, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        identity = null;
        error = null;

        // The user name the API server gives a service account, as kubectl auth can-i --as takes it.
        const string ServiceAccountUser = "system:serviceaccount:";
        if (text.StartsWith(ServiceAccountUser, StringComparison.Ordinal))
        {
            var parts = text[ServiceAccountUser.Length..].Split(':');
            if (parts is [{ Length: > 0 } ns, { Length: > 0 } name])
            {
                identity = ForServiceAccount(ns, name);
                return true;
            }

            error = $"\"{text}\" is not a service account's user name: expected system:serviceaccount:NAMESPACE:NAME";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? text[..colon] : string.Empty;
        var rest = colon > 0 ? text[(colon + 1)..] : string.Empty;
        switch (kind)
        {
            case "user" or "User" when rest.Length > 0:
                identity = ForUser(rest);
                return true;
            case "group" or "Group" when rest.Length > 0:
                identity = ForGroup(rest);
                return true;
            case "sa" or "serviceaccount" or "ServiceAccount":
                {
                    var separator = rest.IndexOfAny(['/', ':']);
                    if (separator > 0 && separator < rest.Length - 1)
                    {
                        identity = ForServiceAccount(rest[..separator], rest[(separator + 1)..]);
                        return true;
                    }

                    break;
                }
        }

        error = $"\"{text}\" is not a subject: expected user:NAME, group:NAME, sa:NAMESPACE/NAME or system:serviceaccount:NAMESPACE:NAME";
        return false;
    }

    public bool IsMaster => Groups.Contains(Masters, StringComparer.Ordinal);

    /// <summary>The keys of binding subjects that apply to this identity (see <see cref="RbacSubject.MatchKey"/>).</summary>
    public IEnumerable<string> MatchKeys
    {
        get
        {
            if (UserName.Length > 0)
            {
                yield return "u:" + UserName;
            }

            foreach (var group in Groups)
            {
                yield return "g:" + group;
            }
        }
    }

    public string Display => Kind switch
    {
        RbacIdentityKind.ServiceAccount => $"sa:{Namespace}/{Name}",
        RbacIdentityKind.Group => "group:" + Name,
        _ => "user:" + Name,
    };

    public override string ToString() => Display;
}
