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

    /// <summary>An image in a running Docker or Podman engine (not read yet).</summary>
    Docker,

    /// <summary>An image in a registry, over the OCI distribution API (not read yet).</summary>
    Registry,
}
