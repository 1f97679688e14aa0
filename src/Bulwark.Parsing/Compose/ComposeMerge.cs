using System.Globalization;
using Bulwark.Core.Findings;

namespace Bulwark.Parsing.Compose;

/// <summary>
/// The merge rules of compose-go's <c>override</c> package, on position-keeping nodes: mappings merge key by key,
/// sequences append, scalars are replaced, a null override keeps the base; <c>command</c>, <c>entrypoint</c> and
/// <c>healthcheck.test</c> are replaced; <c>environment</c>, <c>labels</c>, <c>sysctls</c>, <c>tmpfs</c>, <c>dns</c>,
/// <c>env_file</c>, build args and the like are turned into <c>KEY=VALUE</c> lists and appended; <c>build</c> strings
/// become <c>{context}</c>; <c>depends_on</c> and <c>networks</c> lists become mappings. After a merge,
/// <see cref="EnforceUnicity"/> keeps one entry per unique key (volume target, port, capability, variable name…):
/// the last one, at the place of the first.
/// </summary>
internal static class ComposeMerge
{
    private delegate ComposeNode? Merger(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors);

    private static readonly (string[] Pattern, Merger Merge)[] Specials =
    [
        (["networks", "*", "labels"], ToSequence),
        (["volumes", "*", "labels"], ToSequence),
        (["services", "*", "annotations"], ToSequence),
        (["services", "*", "build"], Build),
        (["services", "*", "build", "args"], ToSequence),
        (["services", "*", "build", "additional_contexts"], ToSequence),
        (["services", "*", "build", "extra_hosts"], ExtraHosts),
        (["services", "*", "build", "labels"], ToSequence),
        (["services", "*", "command"], Override),
        (["services", "*", "depends_on"], DependsOn),
        (["services", "*", "deploy", "labels"], ToSequence),
        (["services", "*", "dns"], ToSequence),
        (["services", "*", "dns_opt"], ToSequence),
        (["services", "*", "dns_search"], ToSequence),
        (["services", "*", "entrypoint"], Override),
        (["services", "*", "env_file"], ToSequence),
        (["services", "*", "label_file"], ToSequence),
        (["services", "*", "environment"], ToSequence),
        (["services", "*", "extra_hosts"], ExtraHosts),
        (["services", "*", "healthcheck", "test"], Override),
        (["services", "*", "labels"], ToSequence),
        (["services", "*", "logging"], Logging),
        (["services", "*", "models"], ToMapping),
        (["services", "*", "networks"], ToMapping),
        (["services", "*", "sysctls"], ToSequence),
        (["services", "*", "tmpfs"], ToSequence),
        (["services", "*", "ulimits", "*"], Override),
    ];

    private delegate string? Indexer(ComposeNode item);

    private static readonly (string[] Pattern, Indexer Index)[] Unique =
    [
        (["networks", "*", "labels"], KeyValueIndex),
        (["networks", "*", "ipam", "options"], KeyValueIndex),
        (["services", "*", "annotations"], KeyValueIndex),
        (["services", "*", "build", "args"], KeyValueIndex),
        (["services", "*", "build", "additional_contexts"], KeyValueIndex),
        (["services", "*", "build", "platform"], KeyValueIndex),
        (["services", "*", "build", "tags"], KeyValueIndex),
        (["services", "*", "build", "labels"], KeyValueIndex),
        (["services", "*", "cap_add"], KeyValueIndex),
        (["services", "*", "cap_drop"], KeyValueIndex),
        (["services", "*", "configs"], item => MountIndex(item, string.Empty)),
        (["services", "*", "deploy", "labels"], KeyValueIndex),
        (["services", "*", "devices"], DeviceIndex),
        (["services", "*", "dns"], KeyValueIndex),
        (["services", "*", "dns_opt"], KeyValueIndex),
        (["services", "*", "dns_search"], KeyValueIndex),
        (["services", "*", "environment"], KeyValueIndex),
        (["services", "*", "env_file"], EnvFileIndex),
        (["services", "*", "expose"], ScalarIndex),
        (["services", "*", "labels"], KeyValueIndex),
        (["services", "*", "links"], KeyValueIndex),
        (["services", "*", "networks", "*", "aliases"], KeyValueIndex),
        (["services", "*", "networks", "*", "link_local_ips"], KeyValueIndex),
        (["services", "*", "ports"], PortIndex),
        (["services", "*", "profiles"], KeyValueIndex),
        (["services", "*", "secrets"], item => MountIndex(item, "/run/secrets")),
        (["services", "*", "sysctls"], KeyValueIndex),
        (["services", "*", "tmpfs"], KeyValueIndex),
        (["services", "*", "volumes"], VolumeIndex),
    ];

    /// <summary>Merges <paramref name="overrideNode"/> onto <paramref name="baseNode"/> at <paramref name="path"/>.</summary>
    public static ComposeNode? Merge(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors)
    {
        foreach (var (pattern, merger) in Specials)
        {
            if (Matches(path, pattern))
            {
                return merger(baseNode, overrideNode, path, errors);
            }
        }

        if (overrideNode is null or ComposeScalar { IsNullValue: true })
        {
            return baseNode;
        }

        switch (baseNode)
        {
            case ComposeMapping baseMap:
                if (overrideNode is ComposeMapping overrideMap)
                {
                    return MergeMappings(baseMap, overrideMap, path, errors);
                }

                errors.Add(CannotOverride(path, baseNode, overrideNode));
                return overrideNode;
            case ComposeSequence baseSeq:
                if (overrideNode is ComposeSequence overrideSeq)
                {
                    return new ComposeSequence([.. baseSeq.Items, .. overrideSeq.Items], baseSeq.Location, baseSeq.Document, baseSeq.Tag);
                }

                errors.Add(CannotOverride(path, baseNode, overrideNode));
                return overrideNode;
            default:
                return overrideNode;
        }
    }

    public static ComposeMapping MergeMappings(ComposeMapping baseMap, ComposeMapping overrideMap, string[] path, List<InputError> errors)
    {
        var entries = baseMap.Entries.ToList();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            positions[entries[i].Key] = i;
        }

        foreach (var entry in overrideMap.Entries)
        {
            if (!positions.TryGetValue(entry.Key, out var at))
            {
                positions[entry.Key] = entries.Count;
                entries.Add(entry);
                continue;
            }

            var existing = entries[at];
            var merged = Merge(existing.Value, entry.Value, [.. path, entry.Key], errors) ?? entry.Value;

            // A value taken whole from the override was set there; a merged container keeps the base's key.
            entries[at] = ReferenceEquals(merged, entry.Value) ? entry : existing with { Value = merged };
        }

        return baseMap.With(entries);
    }

    /// <summary>Drops the keys at <paramref name="resetPaths"/> (from <c>!reset</c> and <c>!override</c>) out of <paramref name="node"/>, which sits at <paramref name="path"/>.</summary>
    public static ComposeNode? ApplyResets(ComposeNode? node, string[] path, IReadOnlyList<string[]> resetPaths)
    {
        if (node is not ComposeMapping map || resetPaths.Count == 0)
        {
            return node;
        }

        var relevant = resetPaths.Where(p => p.Length > path.Length && Matches(path, p[..path.Length])).ToList();
        if (relevant.Count == 0)
        {
            return node;
        }

        var changed = false;
        var entries = new List<ComposeEntry>(map.Entries.Count);
        foreach (var entry in map.Entries)
        {
            string[] next = [.. path, entry.Key];
            if (relevant.Any(p => p.Length == next.Length && Matches(next, p)))
            {
                changed = true;
                continue;
            }

            var value = ApplyResets(entry.Value, next, relevant);
            changed |= !ReferenceEquals(value, entry.Value);
            entries.Add(ReferenceEquals(value, entry.Value) ? entry : entry with { Value = value! });
        }

        return changed ? map.With(entries) : map;
    }

    /// <summary>Keeps one entry per unique key in the lists compose-go de-duplicates; the last one wins at the place of the first.</summary>
    public static ComposeNode EnforceUnicity(ComposeNode node, string[] path)
    {
        switch (node)
        {
            case ComposeMapping map:
                {
                    var changed = false;
                    var entries = new List<ComposeEntry>(map.Entries.Count);
                    foreach (var entry in map.Entries)
                    {
                        var value = MightHoldUnique([.. path, entry.Key]) ? EnforceUnicity(entry.Value, [.. path, entry.Key]) : entry.Value;
                        changed |= !ReferenceEquals(value, entry.Value);
                        entries.Add(ReferenceEquals(value, entry.Value) ? entry : entry with { Value = value });
                    }

                    return changed ? map.With(entries) : map;
                }

            case ComposeSequence seq:
                foreach (var (pattern, indexer) in Unique)
                {
                    if (!Matches(path, pattern))
                    {
                        continue;
                    }

                    var items = new List<ComposeNode>(seq.Items.Count);
                    var keys = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var item in seq.Items)
                    {
                        var key = indexer(item);
                        if (key is not null && keys.TryGetValue(key, out var at))
                        {
                            items[at] = item;
                        }
                        else
                        {
                            if (key is not null)
                            {
                                keys[key] = items.Count;
                            }

                            items.Add(item);
                        }
                    }

                    return items.Count == seq.Items.Count && items.SequenceEqual(seq.Items)
                        ? seq
                        : new ComposeSequence(items, seq.Location, seq.Document, seq.Tag);
                }

                return seq;
            default:
                return node;
        }
    }

    /// <summary>True when both nodes hold the same values, wherever they were written.</summary>
    public static bool SameContent(ComposeNode? a, ComposeNode? b) => (a, b) switch
    {
        (null, null) => true,
        (ComposeScalar x, ComposeScalar y) => x.IsNullValue == y.IsNullValue && string.Equals(x.Value, y.Value, StringComparison.Ordinal),
        (ComposeSequence x, ComposeSequence y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => SameContent(p.First, p.Second)),
        (ComposeMapping x, ComposeMapping y) => x.Entries.Count == y.Entries.Count && x.Entries.All(e => SameContent(e.Value, y[e.Key])),
        _ => false,
    };

    public static bool Matches(string[] path, string[] pattern)
    {
        if (path.Length != pattern.Length)
        {
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            if (pattern[i] != "*" && !string.Equals(pattern[i], path[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MightHoldUnique(string[] path) =>
        Unique.Any(u => u.Pattern.Length >= path.Length && Matches(path, u.Pattern[..path.Length]));

    private static InputError CannotOverride(string[] path, ComposeNode baseNode, ComposeNode overrideNode) =>
        new(overrideNode.Location.File, overrideNode.Location.Line, overrideNode.Location.Column,
            $"cannot override {string.Join('.', path)}: {baseNode.KindName} cannot be merged with {overrideNode.KindName}");

    private static ComposeNode? Override(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors) => overrideNode;

    private static ComposeSequence? ToSequence(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors)
    {
        var anchor = baseNode ?? overrideNode;
        if (anchor is null)
        {
            return null;
        }

        return new ComposeSequence([.. AsSequence(baseNode), .. AsSequence(overrideNode)], anchor.Location, anchor.Document, anchor.Tag);
    }

    private static ComposeSequence? ExtraHosts(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors)
    {
        var anchor = baseNode ?? overrideNode;
        if (anchor is null)
        {
            return null;
        }

        var left = AsSequence(baseNode);
        var known = left.OfType<ComposeScalar>().Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
        var right = AsSequence(overrideNode).Where(n => n is not ComposeScalar s || !known.Contains(s.Value));
        return new ComposeSequence([.. left, .. right], anchor.Location, anchor.Document, anchor.Tag);
    }

    /// <summary>A mapping becomes <c>KEY=VALUE</c> items (bare <c>KEY</c> for null) located at their keys; a scalar becomes a one-item list.</summary>
    public static List<ComposeNode> AsSequence(ComposeNode? node)
    {
        switch (node)
        {
            case ComposeSequence seq:
                return [.. seq.Items];
            case ComposeMapping map:
                {
                    var items = new List<ComposeNode>();
                    foreach (var entry in map.Entries)
                    {
                        switch (entry.Value)
                        {
                            case ComposeScalar { IsNullValue: true }:
                                items.Add(new ComposeScalar(entry.Key, false, entry.KeyLocation, entry.KeyDocument));
                                break;
                            case ComposeScalar value:
                                items.Add(new ComposeScalar(entry.Key + "=" + value.Value, false, entry.KeyLocation, entry.KeyDocument)
                                {
                                    Original = value.Original is null ? null : entry.Key + "=" + value.Original,
                                    Unresolved = value.Unresolved,
                                });
                                break;
                            case ComposeSequence values:
                                foreach (var value in values.Items.OfType<ComposeScalar>())
                                {
                                    items.Add(new ComposeScalar(entry.Key + "=" + value.Value, false, value.Location, value.Document));
                                }

                                break;
                            default:
                                items.Add(new ComposeScalar(entry.Key + "=", false, entry.KeyLocation, entry.KeyDocument));
                                break;
                        }
                    }

                    return items;
                }

            case ComposeScalar { IsNullValue: false } scalar:
                return [scalar];
            default:
                return [];
        }
    }

    private static ComposeNode? Build(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors)
    {
        static ComposeMapping? ToBuild(ComposeNode? node) => node switch
        {
            ComposeMapping map => map,
            ComposeScalar { IsNullValue: false } s => new ComposeMapping([new ComposeEntry("context", s.Location, s.Document, s)], s.Location, s.Document),
            _ => null,
        };

        var left = ToBuild(baseNode);
        var right = ToBuild(overrideNode);
        if (left is null || right is null)
        {
            return (ComposeNode?)left ?? right ?? overrideNode;
        }

        return MergeMappings(left, right, path, errors);
    }

    private static ComposeMapping? DependsOn(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors) =>
        MergeAsMappings(baseNode, overrideNode, path, errors, withDefaults: true);

    private static ComposeMapping? ToMapping(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors) =>
        MergeAsMappings(baseNode, overrideNode, path, errors, withDefaults: false);

    private static ComposeMapping? MergeAsMappings(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors, bool withDefaults)
    {
        var left = AsMapping(baseNode, withDefaults);
        var right = AsMapping(overrideNode, withDefaults);
        if (left is null || right is null)
        {
            return left ?? right;
        }

        return MergeMappings(left, right, path, errors);
    }

    private static ComposeMapping? AsMapping(ComposeNode? node, bool withDefaults)
    {
        switch (node)
        {
            case ComposeMapping map:
                return map;
            case ComposeSequence seq:
                {
                    var entries = new List<ComposeEntry>();
                    foreach (var item in seq.Items.OfType<ComposeScalar>())
                    {
                        ComposeNode value = withDefaults
                            ? new ComposeMapping(
                                [
                                    new ComposeEntry("condition", item.Location, item.Document, new ComposeScalar("service_started", false, item.Location, item.Document)),
                                    new ComposeEntry("required", item.Location, item.Document, new ComposeScalar("true", true, item.Location, item.Document)),
                                ],
                                item.Location,
                                item.Document)
                            : new ComposeScalar(string.Empty, true, item.Location, item.Document);
                        entries.Add(new ComposeEntry(item.Value, item.Location, item.Document, value));
                    }

                    return new ComposeMapping(entries, seq.Location, seq.Document, seq.Tag);
                }

            default:
                return null;
        }
    }

    private static ComposeNode? Logging(ComposeNode? baseNode, ComposeNode? overrideNode, string[] path, List<InputError> errors)
    {
        if (baseNode is not ComposeMapping left || overrideNode is not ComposeMapping right)
        {
            return overrideNode ?? baseNode;
        }

        var leftDriver = (left["driver"] as ComposeScalar)?.Value;
        var rightDriver = (right["driver"] as ComposeScalar)?.Value;
        return leftDriver is null || rightDriver is null || string.Equals(leftDriver, rightDriver, StringComparison.Ordinal)
            ? MergeMappings(left, right, path, errors)
            : right;
    }

    private static string? KeyValueIndex(ComposeNode item)
    {
        if (item is not ComposeScalar s)
        {
            return null;
        }

        var eq = s.Value.IndexOf('=', StringComparison.Ordinal);
        return eq >= 0 ? s.Value[..eq] : s.Value;
    }

    private static string? ScalarIndex(ComposeNode item) => (item as ComposeScalar)?.Value;

    private static string? VolumeIndex(ComposeNode item) => item switch
    {
        ComposeMapping map => (map["target"] as ComposeScalar)?.Value,
        ComposeScalar s => ComposeVolumeSyntax.Parse(s.Value, out _)?.Target ?? s.Value,
        _ => null,
    };

    private static string? DeviceIndex(ComposeNode item)
    {
        switch (item)
        {
            case ComposeMapping map:
                return (map["target"] as ComposeScalar)?.Value;
            case ComposeScalar s:
                {
                    var parts = s.Value.Split(':');
                    return parts.Length == 1 ? parts[0] : parts[1];
                }

            default:
                return null;
        }
    }

    private static string? MountIndex(ComposeNode item, string defaultPath) => item switch
    {
        ComposeScalar s => defaultPath + "/" + s.Value,
        ComposeMapping map when map["target"] is ComposeScalar target => target.Value,
        ComposeMapping map => defaultPath + "/" + (map["source"] as ComposeScalar)?.Value,
        _ => null,
    };

    private static string? EnvFileIndex(ComposeNode item) => item switch
    {
        ComposeScalar s => s.Value,
        ComposeMapping map => (map["path"] as ComposeScalar)?.Value,
        _ => null,
    };

    private static string? PortIndex(ComposeNode item)
    {
        switch (item)
        {
            case ComposeScalar s:
                return s.Value;
            case ComposeMapping map:
                {
                    var target = (map["target"] as ComposeScalar)?.Value;
                    if (target is null)
                    {
                        return null;
                    }

                    var published = (map["published"] as ComposeScalar)?.Value ?? string.Empty;
                    var host = (map["host_ip"] as ComposeScalar)?.Value ?? "0.0.0.0";
                    var protocol = (map["protocol"] as ComposeScalar)?.Value ?? "tcp";
                    return string.Create(CultureInfo.InvariantCulture, $"{host}:{published}:{target}/{protocol}");
                }

            default:
                return null;
        }
    }
}
