using System.Globalization;
using System.Text;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// An immutable set of ports 1–65535 as sorted, disjoint, non-adjacent closed intervals. Set operations
/// merge in one pass, so policies with wide ranges cost no more than single ports.
/// </summary>
public sealed class PortSet : IEquatable<PortSet>
{
    public const int MinPort = 1;
    public const int MaxPort = 65535;

    // Flattened [start0, end0, start1, end1, ...].
    private readonly int[] _bounds;

    private PortSet(int[] bounds) => _bounds = bounds;

    public static PortSet Empty { get; } = new([]);

    public static PortSet All { get; } = new([MinPort, MaxPort]);

    public bool IsEmpty => _bounds.Length == 0;

    public bool IsAll => _bounds.Length == 2 && _bounds[0] == MinPort && _bounds[1] == MaxPort;

    public int IntervalCount => _bounds.Length / 2;

    public IEnumerable<(int Start, int End)> Intervals
    {
        get
        {
            for (var i = 0; i < _bounds.Length; i += 2)
            {
                yield return (_bounds[i], _bounds[i + 1]);
            }
        }
    }

    /// <summary>The ports <paramref name="start"/>..<paramref name="end"/>, clamped to 1–65535; empty when end &lt; start.</summary>
    public static PortSet Range(int start, int end)
    {
        start = Math.Max(start, MinPort);
        end = Math.Min(end, MaxPort);
        if (end < start)
        {
            return Empty;
        }

        return start == MinPort && end == MaxPort ? All : new PortSet([start, end]);
    }

    public static PortSet Single(int port) => Range(port, port);

    public bool Contains(int port)
    {
        for (var i = 0; i < _bounds.Length; i += 2)
        {
            if (port < _bounds[i])
            {
                return false;
            }

            if (port <= _bounds[i + 1])
            {
                return true;
            }
        }

        return false;
    }

    public PortSet Union(PortSet other)
    {
        if (other.IsEmpty || IsAll || ReferenceEquals(this, other))
        {
            return this;
        }

        if (IsEmpty || other.IsAll)
        {
            return other;
        }

        var result = new List<int>(_bounds.Length + other._bounds.Length);
        int i = 0, j = 0;
        while (i < _bounds.Length || j < other._bounds.Length)
        {
            int s, e;
            if (j >= other._bounds.Length || (i < _bounds.Length && _bounds[i] <= other._bounds[j]))
            {
                s = _bounds[i];
                e = _bounds[i + 1];
                i += 2;
            }
            else
            {
                s = other._bounds[j];
                e = other._bounds[j + 1];
                j += 2;
            }

            var n = result.Count;
            if (n > 0 && s <= result[n - 1] + 1)
            {
                result[n - 1] = Math.Max(result[n - 1], e);
            }
            else
            {
                result.Add(s);
                result.Add(e);
            }
        }

        return Make(result);
    }

    public PortSet Intersect(PortSet other)
    {
        if (IsEmpty || other.IsAll)
        {
            return this;
        }

        if (other.IsEmpty || IsAll)
        {
            return other;
        }

        var result = new List<int>();
        int i = 0, j = 0;
        while (i < _bounds.Length && j < other._bounds.Length)
        {
            var s = Math.Max(_bounds[i], other._bounds[j]);
            var e = Math.Min(_bounds[i + 1], other._bounds[j + 1]);
            if (s <= e)
            {
                result.Add(s);
                result.Add(e);
            }

            if (_bounds[i + 1] < other._bounds[j + 1])
            {
                i += 2;
            }
            else
            {
                j += 2;
            }
        }

        return Make(result);
    }

    public PortSet Complement()
    {
        if (IsEmpty)
        {
            return All;
        }

        if (IsAll)
        {
            return Empty;
        }

        var result = new List<int>(_bounds.Length + 2);
        var next = MinPort;
        for (var i = 0; i < _bounds.Length; i += 2)
        {
            if (_bounds[i] > next)
            {
                result.Add(next);
                result.Add(_bounds[i] - 1);
            }

            next = _bounds[i + 1] + 1;
        }

        if (next <= MaxPort)
        {
            result.Add(next);
            result.Add(MaxPort);
        }

        return Make(result);
    }

    public PortSet Subtract(PortSet other) => other.IsEmpty || IsEmpty ? this : Intersect(other.Complement());

    public bool IsSubsetOf(PortSet other) => Subtract(other).IsEmpty;

    private static PortSet Make(List<int> bounds)
    {
        if (bounds.Count == 0)
        {
            return Empty;
        }

        if (bounds.Count == 2 && bounds[0] == MinPort && bounds[1] == MaxPort)
        {
            return All;
        }

        return new PortSet([.. bounds]);
    }

    /// <summary>np-guard's form: <c>53</c>, <c>1-79,81-65535</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < _bounds.Length; i += 2)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(_bounds[i].ToString(CultureInfo.InvariantCulture));
            if (_bounds[i + 1] != _bounds[i])
            {
                builder.Append('-').Append(_bounds[i + 1].ToString(CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public bool Equals(PortSet? other) => other is not null && _bounds.AsSpan().SequenceEqual(other._bounds);

    public override bool Equals(object? obj) => obj is PortSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var b in _bounds)
        {
            hash.Add(b);
        }

        return hash.ToHashCode();
    }
}
