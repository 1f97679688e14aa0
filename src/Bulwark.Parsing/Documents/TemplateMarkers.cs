namespace Bulwark.Parsing.Documents;

/// <summary>
/// Go template actions (<c>{{ … }}</c>) in a file: a Helm chart's templates or another templated manifest, which
/// are not YAML until rendered. Reporting them as such beats a bare syntax error at the first brace.
/// </summary>
public static class TemplateMarkers
{
    /// <summary>The line and column of the first <c>{{</c> that a <c>}}</c> closes on the same line; null when there is none.</summary>
    public static (int Line, int Column)? Find(string text)
    {
        var line = 1;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var open = raw.IndexOf("{{", StringComparison.Ordinal);
            if (open >= 0 && raw[(open + 2)..].IndexOf("}}", StringComparison.Ordinal) >= 0)
            {
                return (line, open + 1);
            }

            line++;
        }

        return null;
    }

    public const string RenderFirst =
        "render it first and scan the output (helm template RELEASE CHART | bulwark scan -, or kustomize build DIR | bulwark scan -)";
}
