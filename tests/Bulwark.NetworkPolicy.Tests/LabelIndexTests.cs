using Bulwark.Kubernetes.NetworkPolicy;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

public sealed class LabelIndexTests
{
    private static readonly string[] Keys = ["app", "tier", "team", "env"];
    private static readonly string[] Values = ["a", "b", "c", "d"];

    /// <summary>The index selects exactly what matching every item against the selector selects, in insertion order.</summary>
    [Fact]
    public void Select_equals_matching_every_item()
    {
        var random = new Random(20261129);
        for (var round = 0; round < 200; round++)
        {
            var index = new LabelIndex<string>();
            var items = new List<(string Name, Dictionary<string, string> Labels)>();
            for (var i = 0; i < random.Next(0, 40); i++)
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var key in Keys.Where(_ => random.Next(3) > 0))
                {
                    labels[key] = Values[random.Next(Values.Length)];
                }

                items.Add(($"item-{i}", labels));
                index.Add($"item-{i}", labels);
            }

            for (var s = 0; s < 20; s++)
            {
                var selector = RandomSelector(random);
                var expected = items.Where(i => selector.Matches(i.Labels)).Select(i => i.Name).ToList();
                Assert.Equal(expected, index.Select(selector));
                Assert.Equal(expected, index.Select(selector)); // memoized answer is the same
                Assert.Equal(expected.Count > 0, index.Any(selector));
            }
        }
    }

    private static LabelSelector RandomSelector(Random random)
    {
        var requirements = new List<SelectorRequirement>();
        for (var r = 0; r < random.Next(0, 4); r++)
        {
            var op = (SelectorOperator)random.Next(4);
            IReadOnlyList<string> values = op is SelectorOperator.In or SelectorOperator.NotIn
                ? [.. Values.Where(_ => random.Next(2) == 0).DefaultIfEmpty("a")]
                : [];
            requirements.Add(new SelectorRequirement(Keys[random.Next(Keys.Length)], op, values));
        }

        return LabelSelector.Of(requirements);
    }
}
