namespace Bulwark.Core.Rules;

public enum ExampleKind
{
    Bad,
    Good,
}

/// <summary>
/// An input that shows a rule's meaning. A bad example marks every line the rule must report with a
/// trailing comment <c># expect: ID</c>; a good example must give no finding of the rule.
/// </summary>
public sealed record RuleExample(ExampleKind Kind, SourceKind Source, string Text)
{
    public static RuleExample Bad(SourceKind source, string text) => new(ExampleKind.Bad, source, text);

    public static RuleExample Good(SourceKind source, string text) => new(ExampleKind.Good, source, text);
}
