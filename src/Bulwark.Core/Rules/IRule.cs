namespace Bulwark.Core.Rules;

/// <summary>A rule: a descriptor and a pure evaluation over one kind of target.</summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    /// <summary>The kind of target the rule evaluates (the T of <see cref="IRule{TTarget}"/>).</summary>
    Type TargetType { get; }

    /// <summary>Evaluates <paramref name="target"/> when it is of <see cref="TargetType"/>; does nothing otherwise.</summary>
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
