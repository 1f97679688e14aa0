using Bulwark.Core.Findings;

namespace Bulwark.Core.Model;

/// <summary>A value and the place in the source that set it.</summary>
public readonly record struct Located<T>(T Value, SourceLocation Location)
{
    public override string ToString() => $"{Value} @ {Location}";
}
