namespace Bulwark.Images.Sources;

/// <summary>
/// Where an image's manifests and config are fetched by digest: an OCI layout's <c>blobs/</c>, or a registry's
/// <c>/manifests/</c> and <c>/blobs/</c> endpoints. Every document comes back checked against its digest and within
/// <see cref="ImageReadOptions.MaxMetadataSize"/>.
/// </summary>
internal interface IManifestStore
{
    /// <summary>The image, for messages.</summary>
    string Describe { get; }

    /// <summary>An image manifest or index, by digest.</summary>
    byte[] ReadManifest(string? digest);

    /// <summary>A blob (the config), by digest.</summary>
    byte[] ReadBlob(string? digest);

    /// <summary>Where the document of <paramref name="digest"/> lives, for messages (a layout path, a URL).</summary>
    string Locate(string? digest);
}
