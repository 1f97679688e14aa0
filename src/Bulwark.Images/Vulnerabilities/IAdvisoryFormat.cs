namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// One feed format the importer reads (OSV JSON, OSV YAML, Debian tracker JSON, Alpine secdb, Node.js security WG).
/// The importer offers every file to each format in turn; the first that recognises it reads it. A file no format
/// recognises is counted as skipped, never an error.
/// </summary>
public interface IAdvisoryFormat
{
    /// <summary>Short name for messages and <c>db status</c>: <c>osv</c>, <c>debian-tracker</c>, ...</summary>
    string Name { get; }

    /// <summary>
    /// Whether this format is the file's, judged from its name and its first bytes (up to 4 KiB, fewer when the file
    /// is shorter). Cheap and never throws: it runs on every file of a folder or archive.
    /// </summary>
    bool Recognizes(string fileName, ReadOnlySpan<byte> head);

    /// <summary>
    /// The advisories in <paramref name="content"/>. A record that fails validation is left out and added to
    /// <paramref name="invalid"/> with the file, line when known, and reason; the rest of the file still counts.
    /// Throws <see cref="InvalidDataException"/> only when the file as a whole cannot be read (not JSON at all,
    /// cut short), which the importer reports as one invalid file.
    /// </summary>
    IEnumerable<Advisory> Read(Stream content, string file, ICollection<ImportProblem> invalid);
}

/// <summary>A record or file the importer left out: where it is and why.</summary>
public sealed record ImportProblem(string File, int? Line, string Reason)
{
    public override string ToString() => Line is { } line ? $"{File}:{line}: {Reason}" : $"{File}: {Reason}";
}
