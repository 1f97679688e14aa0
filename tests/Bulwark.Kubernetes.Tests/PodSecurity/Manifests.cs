using System.Text;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Xunit;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>Parses inline YAML manifests for tests.</summary>
internal static class Manifests
{
    public const string FileName = "test.yaml";

    public static KubernetesObject Single(string yaml)
    {
        var file = SourceFile.Parse(FileName, Encoding.UTF8.GetBytes(yaml), DocumentLimits.Default, json: false);
        Assert.Empty(file.Errors);
        var objects = new List<KubernetesObject>();
        var skipped = new List<SkippedDocument>();
        foreach (var document in file.Documents)
        {
            KubernetesManifestReader.Read(document, objects, skipped);
        }

        return Assert.Single(objects);
    }

    /// <summary>The 1-based number of the only line containing <paramref name="text"/>.</summary>
    public static int LineOf(string yaml, string text)
    {
        var lines = yaml.Split('\n');
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(text, StringComparison.Ordinal)).ToArray();
        Assert.True(matches.Length == 1, $"expected exactly one line containing \"{text}\"");
        return matches[0] + 1;
    }
}
