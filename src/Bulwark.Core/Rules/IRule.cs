namespace Bulwark.Core.Rules;

/// <summary>A rule: a descriptor and a pure evaluation over one or more kinds of target.</summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    /// <summary>The (first) kind of target the rule evaluates (the T of <see cref="IRule{TTarget}"/>).</summary>
    Type TargetType { get; }

    /// <summary>
    /// Every kind of target the rule evaluates. One concept keeps one rule ID across sources, and some sources
    /// have their own target type (a Dockerfile is not a <c>Workload</c>), so a rule may judge several.
    /// </summary>
    IReadOnlyList<Type> TargetTypes => [TargetType];

    /// <summary>Evaluates <paramref name="target"/> when it is of one of <see cref="TargetTypes"/>; does nothing otherwise.</summary>
    void EvaluateTarget(IScanTarget target, RuleContext context);
}

/// <summary>
/// A rule over targets of one type. Rules are sealed, stateless and cheap; they report through
/// <see cref="RuleContext"/> and only about their own target.
/// </summary>
public interface IRule<in TTarget> : IRule
    where TTarget : IScanTarget
{
    void Evaluate(TTarget target, RuleContext context);
}

/// <summary>Base class that fills <see cref="IRule.TargetType"/>.</summary>
public abstract class Rule<TTarget> : IRule<TTarget>
    where TTarget : IScanTarget
{
    public abstract RuleDescriptor Descriptor { get; }

    public Type TargetType => typeof(TTarget);

    public abstract void Evaluate(TTarget target, RuleContext context);

    public void EvaluateTarget(IScanTarget target, RuleContext context)
    {
        if (target is TTarget typed)
        {
            Evaluate(typed, context);
        }
    }
}

/// <summary>
/// Base class of a rule that judges two kinds of target under one ID (e.g. a container rule that also reads
/// Dockerfiles): one <c>Evaluate</c> overload per kind, dispatched by <see cref="EvaluateTarget"/>.
/// </summary>
public abstract class Rule<T1, T2> : IRule
    where T1 : IScanTarget
    where T2 : IScanTarget
{
    private static readonly Type[] Types = [typeof(T1), typeof(T2)];

    public abstract RuleDescriptor Descriptor { get; }

    public Type TargetType => typeof(T1);

    public IReadOnlyList<Type> TargetTypes => Types;

    public abstract void Evaluate(T1 target, RuleContext context);

    public abstract void Evaluate(T2 target, RuleContext context);

    public void EvaluateTarget(IScanTarget target, RuleContext context)
    {
        switch (target)
        {
            case T1 first:
                Evaluate(first, context);
                break;
            case T2 second:
                Evaluate(second, context);
                break;
        }
    }
}

/// <summary>Base class of a rule that judges three kinds of target under one ID; see <see cref="Rule{T1, T2}"/>.</summary>
public abstract class Rule<T1, T2, T3> : IRule
    where T1 : IScanTarget
    where T2 : IScanTarget
    where T3 : IScanTarget
{
    private static readonly Type[] Types = [typeof(T1), typeof(T2), typeof(T3)];

    public abstract RuleDescriptor Descriptor { get; }

    public Type TargetType => typeof(T1);

    public IReadOnlyList<Type> TargetTypes => Types;

    public abstract void Evaluate(T1 target, RuleContext context);

    public abstract void Evaluate(T2 target, RuleContext context);

    public abstract void Evaluate(T3 target, RuleContext context);

    public void EvaluateTarget(IScanTarget target, RuleContext context)
    {
        switch (target)
        {
            case T1 first:
                Evaluate(first, context);
                break;
            case T2 second:
                Evaluate(second, context);
                break;
            case T3 third:
                Evaluate(third, context);
                break;
        }
    }
}
