using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Kubernetes.NetworkPolicy;

public enum IpFamily
{
    V4 = 4,
    V6 = 6,
}

/// <summary>A closed range of addresses of one family; the unit external endpoints are reported in.</summary>
public readonly record struct IpInterval(IpFamily Family, UInt128 Start, UInt128 End) : IComparable<IpInterval>
{
    public static UInt128 MaxOf(IpFamily family) => family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;

    public static IpInterval Universe(IpFamily family) => new(family, UInt128.Zero, MaxOf(family));

    public bool Contains(IpInterval other) => other.Family == Family && other.Start >= Start && other.End <= End;

    public bool Overlaps(IpInterval other) => other.Family == Family && other.Start <= End && Start <= other.End;

    public int CompareTo(IpInterval other)
    {
        var c = Family.CompareTo(other.Family);
        if (c != 0)
        {
            return c;
        }

        c = Start.CompareTo(other.Start);
        return c != 0 ? c : End.CompareTo(other.End);
    }

    /// <summary>np-guard's range form, <c>10.0.0.0-10.255.255.255</c>.</summary>
    public override string ToString() => IpAddresses.Format(Family, Start) + "-" + IpAddresses.Format(Family, End);

    public static bool operator <(IpInterval left, IpInterval right) => left.CompareTo(right) < 0;

    public static bool operator >(IpInterval left, IpInterval right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpInterval left, IpInterval right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpInterval left, IpInterval right) => left.CompareTo(right) >= 0;
}

/// <summary>An immutable set of addresses (both families) as sorted disjoint intervals: an ipBlock with its excepts.</summary>
public sealed class IpSet
{
    private readonly IpInterval[] _intervals;

    private IpSet(IpInterval[] intervals) => _intervals = intervals;

    public static IpSet Empty { get; } = new([]);

    public IReadOnlyList<IpInterval> Intervals => _intervals;

    public bool IsEmpty => _intervals.Length == 0;

    public static IpSet Of(IEnumerable<IpInterval> intervals)
    {
        var sorted = intervals.Order().ToList();
        var merged = new List<IpInterval>(sorted.Count);
        foreach (var interval in sorted)
        {
            if (merged.Count > 0 && merged[^1].Family == interval.Family
                && (merged[^1].End == IpInterval.MaxOf(interval.Family) || interval.Start <= merged[^1].End + 1))
            {
                var last = merged[^1];
                merged[^1] = last with { End = UInt128.Max(last.End, interval.End) };
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged.Count == 0 ? Empty : new IpSet([.. merged]);
    }

    public IpSet Subtract(IpSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var result = new List<IpInterval>();
        foreach (var interval in _intervals)
        {
            var pieces = new List<IpInterval> { interval };
            foreach (var cut in other._intervals)
            {
                var next = new List<IpInterval>();
                foreach (var piece in pieces)
                {
                    if (!piece.Overlaps(cut))
                    {
                        next.Add(piece);
                        continue;
                    }

                    if (cut.Start > piece.Start)
                    {
                        next.Add(piece with { End = cut.Start - 1 });
                    }

                    if (cut.End < piece.End)
                    {
                        next.Add(piece with { Start = cut.End + 1 });
                    }
                }

                pieces = next;
            }

            result.AddRange(pieces);
        }

        return Of(result);
    }

    /// <summary>True when every address of <paramref name="interval"/> is in the set.</summary>
    public bool Contains(IpInterval interval)
    {
        // Intervals are few per block; a linear scan beats a search.
        foreach (var own in _intervals)
        {
            if (own.Contains(interval))
            {
                return true;
            }
        }

        return false;
    }

    public bool Overlaps(IpInterval interval) => _intervals.Any(i => i.Overlaps(interval));

    public override string ToString() => string.Join(",", _intervals.Select(i => i.ToString()));
}

/// <summary>Strict parsing of addresses and CIDRs, the way Go's <c>net.ParseCIDR</c> reads them.</summary>
public static class IpAddresses
{
    public static bool TryParseCidr(string? text, out IpInterval interval)
    {
        interval = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }

        if (!TryParseAddress(text[..slash], out var family, out var address))
        {
            return false;
        }

        var bits = family == IpFamily.V4 ? 32 : 128;
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length > 3 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
        {
            return false;
        }

        var hostBits = bits - prefix;
        var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        var start = address & ~hostMask;
        if (family == IpFamily.V4)
        {
            start &= uint.MaxValue;
        }

        interval = new IpInterval(family, start, start | hostMask);
        return true;
    }

    public static bool TryParseAddress(string text, out IpFamily family, out UInt128 value)
    {
        family = IpFamily.V4;
        value = UInt128.Zero;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            family = IpFamily.V6;
            var bytes = v6.GetAddressBytes();
            foreach (var b in bytes)
            {
                value = (value << 8) | b;
            }

            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            // Go rejects leading zeros (ambiguous octal) and anything but decimal digits.
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            var octet = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
        }

        return true;
    }

    public static string Format(IpFamily family, UInt128 value)
    {
        if (family == IpFamily.V4)
        {
            var v = (uint)value;
            return string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}");
        }

        var bytes = new byte[16];
        for (var i = 15; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes).ToString();
    }

    /// <summary>
    /// The coarsest split of the address space into intervals such that every set is a union of them:
    /// np-guard's external endpoints. The IPv4 space is always covered; the IPv6 space only when a set has IPv6.
    /// </summary>
    public static List<IpInterval> Partition(IEnumerable<IpSet> sets)
    {
        var cuts = new Dictionary<IpFamily, SortedSet<UInt128>>
        {
            [IpFamily.V4] = [UInt128.Zero],
        };
        foreach (var set in sets)
        {
            foreach (var interval in set.Intervals)
            {
                if (!cuts.TryGetValue(interval.Family, out var familyCuts))
                {
                    cuts[interval.Family] = familyCuts = [UInt128.Zero];
                }

                familyCuts.Add(interval.Start);
                if (interval.End != IpInterval.MaxOf(interval.Family))
                {
                    familyCuts.Add(interval.End + 1);
                }
            }
        }

        var result = new List<IpInterval>();
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            if (!cuts.TryGetValue(family, out var familyCuts))
            {
                continue;
            }

            var points = familyCuts.ToList();
            for (var i = 0; i < points.Count; i++)
            {
                var end = i + 1 < points.Count ? points[i + 1] - 1 : IpInterval.MaxOf(family);
                result.Add(new IpInterval(family, points[i], end));
            }
        }

        return result;
    }
}
