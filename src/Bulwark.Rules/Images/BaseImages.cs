using Bulwark.Core.Model;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Images;

/// <summary>What the final image is built on, as far as a fix depends on it: which tools it has to create a user or run a health check.</summary>
internal enum BaseImageFamily
{
    /// <summary>Not recognised: fixes stay generic.</summary>
    Unknown,

    /// <summary><c>FROM scratch</c>: no files at all, no /etc/passwd, no shell.</summary>
    Scratch,

    /// <summary>Distroless and chiselled images: no shell, no package manager, a <c>nonroot</c> user (UID 65532).</summary>
    Distroless,

    /// <summary>Alpine and BusyBox: BusyBox <c>adduser</c> and <c>wget</c>.</summary>
    Alpine,

    /// <summary>Debian and Ubuntu, and the official images built on them: <c>useradd</c>, often no curl or wget.</summary>
    Debian,

    /// <summary>Fedora, CentOS, RHEL UBI, Rocky, Alma, Oracle and Amazon Linux: <c>useradd</c>.</summary>
    RedHat,

    /// <summary>The minimal and micro variants of those (<c>ubi-minimal</c>, <c>ubi-micro</c>, <c>*-minimal</c>, <c>oraclelinux:*-slim</c>): no <c>useradd</c>.</summary>
    RedHatMinimal,

    /// <summary>The .NET images (8 and later) from mcr.microsoft.com: a built-in <c>app</c> user, UID 1654 in <c>$APP_UID</c>.</summary>
    DotNet,

    /// <summary>The official node images: a built-in <c>node</c> user (UID 1000).</summary>
    Node,
}

/// <summary>
/// What Bulwark knows about common base images, kept in one place: the family of the final stage's base (so that
/// a fix suggests commands that image has) and, for full distribution and language images, the smaller variants
/// their publishers actually offer (checked against the Docker Official Images' tag lists).
/// </summary>
internal static class BaseImages
{
    private static readonly HashSet<string> DebianBased = new(StringComparer.Ordinal)
    {
        "debian", "ubuntu", "buildpack-deps", "python", "ruby", "golang", "php", "perl", "rust", "openjdk", "eclipse-temurin", "maven", "gradle",
        "gcc", "elixir", "erlang", "haskell", "swift", "julia", "r-base", "clojure", "groovy", "nginx", "httpd", "minideb",
    };

    private static readonly HashSet<string> RedHatBased = new(StringComparer.Ordinal)
    {
        "centos", "fedora", "rockylinux", "almalinux", "oraclelinux", "amazonlinux", "ubi", "ubi7", "ubi8", "ubi9", "ubi10",
    };

    /// <summary>The family of the image the final stage is built on (through stages it is built FROM).</summary>
    public static BaseImageFamily FamilyOf(DockerfileDocument document)
    {
        var root = DockerfileScope.FinalImageStages(document).LastOrDefault();
        if (root is null)
        {
            return BaseImageFamily.Unknown;
        }

        if (root.IsScratch)
        {
            return BaseImageFamily.Scratch;
        }

        return root.BaseImage is { } image && DockerfileScope.IsImageName(root.ResolvedBaseName) ? FamilyOf(image) : BaseImageFamily.Unknown;
    }

    public static BaseImageFamily FamilyOf(ImageReference image)
    {
        var repository = image.Repository.ToLowerInvariant();
        var name = repository[(repository.LastIndexOf('/') + 1)..];
        var tag = image.Tag?.ToLowerInvariant() ?? string.Empty;
        bool Says(string word) => repository.Contains(word, StringComparison.Ordinal) || tag.Contains(word, StringComparison.Ordinal);

        // Every .NET 8+ image has the `app` user, its distroless and chiselled variants included.
        if (image.Registry == "mcr.microsoft.com" && repository.StartsWith("dotnet/", StringComparison.Ordinal) && DotNetMajor(tag) is null or >= 8)
        {
            return BaseImageFamily.DotNet;
        }

        if (image.Registry == "gcr.io" && repository.StartsWith("distroless/", StringComparison.Ordinal)
            || Says("distroless") || Says("chiseled") || Says("chiselled") || (image.Registry == "cgr.dev" && name == "static"))
        {
            return BaseImageFamily.Distroless;
        }

        // The official node images, Alpine ones included, have the `node` user.
        if (name == "node" && image.Registry is null or "docker.io")
        {
            return BaseImageFamily.Node;
        }

        if (name is "alpine" or "busybox" || Says("alpine"))
        {
            return BaseImageFamily.Alpine;
        }

        if (RedHatBased.Contains(name) || name.StartsWith("ubi", StringComparison.Ordinal))
        {
            return name is "ubi-minimal" or "ubi-micro" or "ubi8-minimal" or "ubi9-minimal" || Says("minimal") || Says("micro")
                || (name == "oraclelinux" && Says("slim"))
                ? BaseImageFamily.RedHatMinimal
                : BaseImageFamily.RedHat;
        }

        return DebianBased.Contains(name) || Says("bookworm") || Says("bullseye") || Says("trixie") || Says("jammy") || Says("noble") || Says("focal")
            ? BaseImageFamily.Debian
            : BaseImageFamily.Unknown;
    }

    private static int? DotNetMajor(string tag)
    {
        var end = 0;
        while (end < tag.Length && char.IsAsciiDigit(tag[end]))
        {
            end++;
        }

        return end > 0 && int.TryParse(tag.AsSpan(0, end), System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : null;
    }

    /// <summary>How to run the final stage as a non-root user with what the base image has.</summary>
    public static string NonRootFix(BaseImageFamily family) => family switch
    {
        BaseImageFamily.Scratch =>
            "A scratch image has no /etc/passwd and no shell to create a user with, and needs neither: add `USER 10001:10001` (a numeric UID) before CMD/ENTRYPOINT, and give the files the application writes to that UID (`COPY --chown=10001:10001 …`).",
        BaseImageFamily.Distroless =>
            "Distroless and chiselled images have no shell or adduser but ship an unprivileged `nonroot` user: add `USER 65532:65532` (or `USER nonroot`) before CMD/ENTRYPOINT, or use the image's `:nonroot` tag where it has one.",
        BaseImageFamily.DotNet =>
            "The .NET images include an unprivileged `app` user: add `USER $APP_UID` (UID 1654) before ENTRYPOINT.",
        BaseImageFamily.Node =>
            "The node image includes an unprivileged `node` user: add `USER node` (UID 1000) before CMD/ENTRYPOINT.",
        BaseImageFamily.Alpine =>
            "Create an unprivileged user in the final stage and switch to it: `RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app`, then `USER 10001:10001` before CMD/ENTRYPOINT.",
        BaseImageFamily.Debian =>
            "Create an unprivileged user in the final stage and switch to it: `RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app`, then `USER 10001:10001` before CMD/ENTRYPOINT.",
        BaseImageFamily.RedHat =>
            "Create an unprivileged user in the final stage and switch to it: `RUN useradd --system --uid 10001 --no-create-home app`, then `USER 10001` before CMD/ENTRYPOINT.",
        BaseImageFamily.RedHatMinimal =>
            "Minimal and micro images have no useradd, and a numeric UID needs no passwd entry: add `USER 10001:10001` before CMD/ENTRYPOINT and give the files the application writes to that UID (`COPY --chown=10001:10001 …`).",
        _ =>
            "Create an unprivileged user in the final stage (`RUN adduser -D -u 10001 app` on Alpine, `useradd -r -u 10001 app` on Debian or RHEL) and switch to it with `USER 10001` before CMD/ENTRYPOINT; on images without a shell, a numeric `USER 10001:10001` needs no user to be created.",
    };

    /// <summary>How to add a health check with a program the base image has.</summary>
    public static string HealthcheckFix(BaseImageFamily family) => family switch
    {
        BaseImageFamily.Scratch or BaseImageFamily.Distroless =>
            "This image has no shell, curl or wget, so a HEALTHCHECK must run a program the image contains: the application's own check (`HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app\", \"healthcheck\"]`) or a small static probe binary copied in. Where an orchestrator checks health instead (Kubernetes probes; Kubernetes ignores HEALTHCHECK), `HEALTHCHECK NONE` records that choice.",
        BaseImageFamily.Alpine =>
            "Add a HEALTHCHECK to the final stage; BusyBox wget is in the image: `HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://127.0.0.1:8080/healthz || exit 1` (or the application's own check command).",
        BaseImageFamily.DotNet =>
            "Add a HEALTHCHECK that runs a program the image has (the .NET images, chiselled ones above all, include neither curl nor wget): the application's own check, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD [\"dotnet\", \"app.dll\", \"--healthcheck\"]`. Where an orchestrator checks health instead (Kubernetes probes), `HEALTHCHECK NONE` records that choice.",
        BaseImageFamily.Debian or BaseImageFamily.RedHat or BaseImageFamily.RedHatMinimal or BaseImageFamily.Node =>
            "Add a HEALTHCHECK to the final stage that runs a program the image has: slim and minimal images include neither curl nor wget, so use the application's own check command or install one, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1`.",
        _ =>
            "Add a HEALTHCHECK to the final stage that runs a program the image has, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1` where wget exists, or the application's own check command.",
    };

    // Full images and the smaller variants their publishers offer; `{v}` is the version from the tag. Ubuntu has no
    // slim tag, golang no slim tag, PHP no slim tag (its Alpine variants carry the SAPI), the openjdk images are
    // deprecated in favour of Eclipse Temurin, and build-tool images belong in builder stages.
    private static readonly Dictionary<string, string> Smaller = new(StringComparer.Ordinal)
    {
        ["debian"] = "`debian:{v}-slim`",
        ["ubuntu"] = "`debian:<version>-slim`, a distroless image or a chiselled Ubuntu image (Ubuntu publishes no slim tag)",
        ["buildpack-deps"] = "`debian:<version>-slim` (buildpack-deps is a build environment)",
        ["python"] = "`python:{v}-slim` or `python:{v}-alpine`",
        ["node"] = "`node:{v}-slim` or `node:{v}-alpine`",
        ["ruby"] = "`ruby:{v}-slim` or `ruby:{v}-alpine`",
        ["perl"] = "`perl:{v}-slim`",
        ["php"] = "`php:{v}-fpm-alpine` or `php:{v}-cli-alpine` (the PHP images have no slim tag)",
        ["golang"] = "the compiled binary alone on `scratch` or `gcr.io/distroless/static-debian12` (`golang:{v}-alpine` still ships the whole toolchain)",
        ["rust"] = "the compiled binary alone on `gcr.io/distroless/cc-debian12` or `debian:<version>-slim` (or `rust:{v}-slim` / `rust:{v}-alpine` if the toolchain must ship)",
        ["gcc"] = "the compiled binary alone on `gcr.io/distroless/cc-debian12` or `debian:<version>-slim` (gcc is a build environment)",
        ["openjdk"] = "`eclipse-temurin:{v}-jre` or `eclipse-temurin:{v}-jre-alpine` (the openjdk images are deprecated and no longer updated)",
        ["eclipse-temurin"] = "`eclipse-temurin:{v}-jre-alpine` or a distroless Java image",
        ["maven"] = "a JRE image such as `eclipse-temurin:<java-version>-jre-alpine` (keep maven in the build stage)",
        ["gradle"] = "a JRE image such as `eclipse-temurin:<java-version>-jre-alpine` (keep gradle in the build stage)",
        ["clojure"] = "a JRE image such as `eclipse-temurin:<java-version>-jre-alpine` (keep the Clojure tools in the build stage)",
        ["groovy"] = "a JRE image such as `eclipse-temurin:<java-version>-jre-alpine` with the application's jars",
        ["erlang"] = "`erlang:{v}-slim` or `erlang:{v}-alpine`",
        ["elixir"] = "`elixir:{v}-slim` or `elixir:{v}-alpine` (or the release alone on `debian:<version>-slim`)",
        ["haskell"] = "`haskell:{v}-slim`, or the compiled binary alone on `debian:<version>-slim`",
        ["swift"] = "`swift:{v}-slim`",
        ["julia"] = "`debian:<version>-slim` with only what the application runs (the julia images have no slim tag)",
        ["r-base"] = "`debian:<version>-slim` with only what the application runs (the r-base images have no slim tag)",
        ["centos"] = "`rockylinux:9-minimal`, `almalinux:9-minimal` or `ubi9/ubi-minimal` (CentOS Linux is end-of-life)",
        ["rockylinux"] = "`rockylinux:{v}-minimal`",
        ["almalinux"] = "`almalinux:{v}-minimal`",
        ["amazonlinux"] = "`amazonlinux:2023-minimal`",
        ["oraclelinux"] = "`oraclelinux:{v}-slim`",
        ["fedora"] = "`registry.fedoraproject.org/fedora-minimal:{v}`",
        ["ubi"] = "`ubi-minimal` or `ubi-micro` of the same release",
        ["opensuse"] = "SUSE BCI `registry.suse.com/bci/bci-minimal` or `bci-micro`",
        ["leap"] = "SUSE BCI `registry.suse.com/bci/bci-minimal` or `bci-micro`",
        ["tumbleweed"] = "SUSE BCI `registry.suse.com/bci/bci-minimal` or `bci-micro`",
        ["archlinux"] = "alpine or `debian:<version>-slim` (Arch Linux publishes no minimal image)",
    };

    /// <summary>
    /// The smaller images to suggest for a full distribution or language image, or null when <paramref name="image"/>
    /// is not one (matched on the last path component, so mirrors such as docker.io/library/ubuntu count).
    /// </summary>
    public static string? SmallerAlternative(ImageReference image)
    {
        var repository = image.Repository;
        var name = repository[(repository.LastIndexOf('/') + 1)..];
        var key = name is "ubi7" or "ubi8" or "ubi9" or "ubi10" ? "ubi" : name;
        if (!Smaller.TryGetValue(key, out var template))
        {
            return null;
        }

        var version = VersionOf(image.Tag);
        if (key == "ubi")
        {
            var release = name.Length > 3 ? name : version is { } v ? "ubi" + v.Split('.')[0] : null;
            return release is null ? template : $"`{release}/ubi-minimal` or `{release}/ubi-micro`";
        }

        return template.Replace("{v}", version ?? "<version>", StringComparison.Ordinal);
    }

    // The version part of a tag (`3.12` of `3.12-bookworm`, `bookworm` of `bookworm` for debian), or null for latest and channels.
    private static string? VersionOf(string? tag)
    {
        if (tag is null or "latest")
        {
            return null;
        }

        var first = tag.Split('-')[0];
        return first.Length > 0 && (char.IsAsciiDigit(first[0]) || (first.Length > 1 && first[0] == 'v' && char.IsAsciiDigit(first[1])))
            ? first
            : ImageReference.Parse("debian:" + first).TagKind == ImageTagKind.Version ? first : null;
    }
}
