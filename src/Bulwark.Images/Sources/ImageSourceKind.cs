namespace Bulwark.Images.Sources;

/// <summary>Where an image is read from; the names are Syft's source prefixes.</summary>
public enum ImageSourceKind
{
    /// <summary><c>docker save</c>/<c>podman save</c>/skopeo output: manifest.json (legacy or Docker 25+ OCI-in-tar).</summary>
    DockerArchive,

    /// <summary>An OCI image layout inside a tar.</summary>
    OciArchive,

    /// <summary>An OCI image layout folder (oci-layout, index.json, blobs/).</summary>
    OciDirectory,

    /// <summary>An unpacked root filesystem, read as a single layer.</summary>
    Directory,

    /// <summary>An image in a running Docker or Podman engine, streamed over its API socket.</summary>
    Docker,

    /// <summary>An image in a registry, over the OCI distribution API.</summary>
    Registry,

    /// <summary>A bare image name (<c>nginx:1.27</c>) that is no path: the engine's image if it has one, else the registry's.</summary>
    Name,
}
