using Bulwark.Parsing.Compose;
using Xunit;

namespace Bulwark.Compose.Tests;

/// <summary>
/// Cases of compose-go's <c>template/template_test.go</c> and <c>template/variables_test.go</c>
/// (compose-spec/compose-go), inputs and expected outputs as facts; the environment is theirs:
/// FOO=first, BAR="" (set but empty), JSON={"json":2}.
/// </summary>
public sealed class InterpolationTests
{
    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["FOO"] = "first",
        ["BAR"] = string.Empty,
        ["JSON"] = "{\"json\":2}",
    };

    private static InterpolationResult Substitute(string template) =>
        ComposeInterpolation.Substitute(template, name => Defaults.TryGetValue(name, out var v) ? v : null);

    private static void AssertSubstitutes(string template, string expected)
    {
        var result = Substitute(template);
        Assert.Null(result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Escaped() => AssertSubstitutes("$${foo}", "${foo}");

    [Fact]
    public void SubstituteNoMatch() => AssertSubstitutes("foo", "foo");

    [Theory]
    [InlineData("a $ string")]
    [InlineData("^REGEX$")]
    [InlineData("$}")]
    [InlineData("$")]
    public void Unescaped_dollars_stay_literal(string template) => AssertSubstitutes(template, template);

    [Theory]
    [InlineData("${")]
    [InlineData("${}")]
    [InlineData("${ }")]
    [InlineData("${ foo}")]
    [InlineData("${foo }")]
    [InlineData("${foo!}")]
    public void Invalid(string template)
    {
        var result = Substitute(template);
        Assert.Equal(InterpolationErrorKind.InvalidTemplate, result.Error?.Kind);
        Assert.Contains("Invalid template", result.Error!.Message, StringComparison.Ordinal);
    }

    // docker/compose#8601: a non-braced name ends at the first character that cannot be in a name.
    [Fact]
    public void NonBraced() => AssertSubstitutes("$FOO-bar", "first-bar");

    [Theory]
    [InlineData("This ${missing} var")]
    [InlineData("This ${BAR} var")]
    public void NoValueNoDefault(string template) => AssertSubstitutes(template, "This  var");

    [Fact]
    public void NoValueNoDefault_reports_the_unset_variable()
    {
        var result = Substitute("This ${missing} var and $missing");
        Assert.Equal(["missing"], result.UnsetVariables);
        Assert.Empty(Substitute("This ${BAR} var").UnsetVariables);
    }

    [Theory]
    [InlineData("This $FOO var")]
    [InlineData("This ${FOO} var")]
    public void ValueNoDefault(string template) => AssertSubstitutes(template, "This first var");

    [Theory]
    [InlineData("ok ${missing:-def}")]
    [InlineData("ok ${missing-def}")]
    public void NoValueWithDefault(string template) => AssertSubstitutes(template, "ok def");

    [Fact]
    public void EmptyValueWithSoftDefault() => AssertSubstitutes("ok ${BAR:-def}", "ok def");

    [Fact]
    public void ValueWithSoftDefault() => AssertSubstitutes("ok ${FOO:-def}", "ok first");

    [Fact]
    public void EmptyValueWithHardDefault() => AssertSubstitutes("ok ${BAR-def}", "ok ");

    [Theory]
    [InlineData("ok ${UNSET_VAR:+presence_value}", "ok ")]
    [InlineData("ok ${UNSET_VAR+presence_value}", "ok ")]
    [InlineData("ok ${FOO:+presence_value}", "ok presence_value")]
    [InlineData("ok ${FOO+presence_value}", "ok presence_value")]
    [InlineData("ok ${BAR+presence_value}", "ok presence_value")]
    [InlineData("ok ${BAR:+presence_value}", "ok ")]
    public void PresenceValues(string template, string expected) => AssertSubstitutes(template, expected);

    [Fact]
    public void NonAlphanumericDefault() => AssertSubstitutes("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric");

    [Theory]
    [InlineData("-ok ${BAR:-defaultValue}", "-ok defaultValue")]
    [InlineData("+ok ${UNSET:-${BAR-defaultValue}}", "+ok ")]
    [InlineData("-ok ${FOO:-defaultValue}", "-ok first")]
    [InlineData(":-ok ${UNSET-defaultValue}", ":-ok defaultValue")]
    [InlineData(":-ok ${BAR-defaultValue}", ":-ok ")]
    [InlineData(":?ok ${BAR-defaultValue}", ":?ok ")]
    [InlineData(":?ok ${BAR:-defaultValue}", ":?ok defaultValue")]
    [InlineData(":+ok ${BAR:-defaultValue}", ":+ok defaultValue")]
    [InlineData("+ok ${BAR-defaultValue}", "+ok ")]
    [InlineData("?ok ${BAR:-defaultValue}", "?ok defaultValue")]
    public void InterpolationExternalInterference(string template, string expected) => AssertSubstitutes(template, expected);

    [Theory]
    [InlineData("ok ${UNSET_VAR-$FOO}", "ok first")]
    [InlineData("ok ${UNSET_VAR-${FOO}}", "ok first")]
    [InlineData("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first")]
    [InlineData("ok ${BAR:-$FOO}", "ok first")]
    [InlineData("ok ${BAR:-${FOO}}", "ok first")]
    [InlineData("ok ${BAR:-${FOO} ${FOO}}", "ok first first")]
    [InlineData("ok ${BAR+$FOO}", "ok first")]
    [InlineData("ok ${BAR+$FOO ${FOO:+second}}", "ok first second")]
    public void DefaultsWithNestedExpansion(string template, string expected) => AssertSubstitutes(template, expected);

    [Theory]
    [InlineData("not ok ${UNSET_VAR:?Mandatory Variable Unset}", "required variable UNSET_VAR is missing a value: Mandatory Variable Unset")]
    [InlineData("not ok ${BAR:?Mandatory Variable Empty}", "required variable BAR is missing a value: Mandatory Variable Empty")]
    [InlineData("not ok ${UNSET_VAR:?}", "required variable UNSET_VAR is missing a value")]
    [InlineData("not ok ${UNSET_VAR?Mandatory Variable Unset}", "required variable UNSET_VAR is missing a value: Mandatory Variable Unset")]
    [InlineData("not ok ${UNSET_VAR?}", "required variable UNSET_VAR is missing a value")]
    [InlineData("not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}", "required variable UNSET_VAR is missing a value: Mandatory Variable first")]
    [InlineData("not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", "required variable UNSET_VAR is missing a value: Mandatory Variable first")]
    public void MandatoryVariableErrors(string template, string expectedError)
    {
        var result = Substitute(template);
        Assert.Equal(InterpolationErrorKind.MissingRequired, result.Error?.Kind);
        Assert.Contains(expectedError, result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ok ${FOO:?err}", "ok first")]
    [InlineData("ok ${FOO?err}", "ok first")]
    [InlineData("ok ${BAR?err}", "ok ")]
    public void DefaultsForMandatoryVariables(string template, string expected) => AssertSubstitutes(template, expected);

    // The last case of TestSubstituteWithReplacementFunc, which uses the default substitution.
    [Fact]
    public void Two_braced_references_in_one_value() => AssertSubstitutes("ok ${SUBDOMAIN:-redis}.${FOO:?}", "ok redis.first");

    // TestPrecedence: the operator is the first one after the name.
    [Theory]
    [InlineData("${UNSET_VAR-myerror?msg}", "myerror?msg")]
    [InlineData("${FOO?bar-baz}", "first")]
    [InlineData("${BAR:-default_value_for_empty_var}", "default_value_for_empty_var")]
    [InlineData("${UNSET_VAR-default_value_for_unset_var}", "default_value_for_unset_var")]
    public void Precedence(string template, string expected) => AssertSubstitutes(template, expected);

    [Fact]
    public void Precedence_required_with_a_dash_in_the_message()
    {
        var result = Substitute("${UNSET_VAR?bar-baz}");
        Assert.Equal(new InterpolationError(InterpolationErrorKind.MissingRequired, "required variable UNSET_VAR is missing a value: bar-baz", "UNSET_VAR"), result.Error);
        Assert.Equal(string.Empty, result.Value);
    }

    // TestSubstitutionFunctionChoice, checked through behaviour: the operator right after the name decides.
    [Theory]
    [InlineData("${VARNAME:?val?ue}", "val?ue")]
    [InlineData("${VARNAME?val:?ue}", "val:?ue")]
    [InlineData("${VARNAME?va-lu+e:?e}", "va-lu+e:?e")]
    [InlineData("${VARNAME?va+lu-e:?e}", "va+lu-e:?e")]
    public void Substitution_function_choice_required(string template, string message)
    {
        var result = Substitute(template);
        Assert.Equal("required variable VARNAME is missing a value: " + message, result.Error?.Message);
    }

    [Theory]
    [InlineData("${VARNAME:-value}", "value")]
    [InlineData("${VARNAME-va:-lu:?e}", "va:-lu:?e")]
    [InlineData("${VARNAME-va+lu?e}", "va+lu?e")]
    [InlineData("${VARNAME-va?lu+e}", "va?lu+e")]
    public void Substitution_function_choice_default(string template, string expected) => AssertSubstitutes(template, expected);

    [Theory]
    [InlineData("${FOO:+va:?lu:-e}", "va:?lu:-e")]
    [InlineData("${FOO+va:+lue}", "va:+lue")]
    [InlineData("${FOO+va?lu-e}", "va?lu-e")]
    [InlineData("${FOO+va-lu?e}", "va-lu?e")]
    public void Substitution_function_choice_presence(string template, string expected) => AssertSubstitutes(template, expected);

    [Theory]
    [InlineData("ok ${missing:-{\"json\":1}}")]
    [InlineData("ok ${missing-{\"json\":1}}")]
    public void NoValueWithCurlyBracesDefault(string template) => AssertSubstitutes(template, "ok {\"json\":1}");

    [Theory]
    [InlineData("ok ${JSON:-{\"json\":1}}")]
    [InlineData("ok ${JSON-{\"json\":1}}")]
    public void ValueWithCurlyBracesDefault(string template) => AssertSubstitutes(template, "ok {\"json\":2}");

    // Named mappings are off in the loader: ${name[key]} is not a variable name and stays as written.
    [Theory]
    [InlineData("This ${missing[foo]} var")]
    [InlineData("This ${FOO[BAR]} var")]
    public void NoValueNoDefaultWithNamedMappingsDisabled(string template) => AssertSubstitutes(template, template);

    [Fact]
    public void Names_are_case_insensitive_in_syntax_and_exact_in_lookup()
    {
        AssertSubstitutes("$foo-${Foo}", "-");
        AssertSubstitutes("$FOO_1", string.Empty);
        AssertSubstitutes("$1FOO", "$1FOO");
    }

    [Fact]
    public void A_reference_does_not_cross_a_line_break()
    {
        Assert.Equal(InterpolationErrorKind.InvalidTemplate, Substitute("${FOO:-a\n}").Error?.Kind);
        AssertSubstitutes("${UNSET:-a}\n${FOO}", "a\nfirst");
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_crash()
    {
        var deep = string.Concat(Enumerable.Repeat("${A:-", 5000)) + "x" + new string('}', 5000);
        Assert.Equal(InterpolationErrorKind.TooDeep, Substitute(deep).Error?.Kind);
        var chained = string.Concat(Enumerable.Repeat("${UNSET:-x}", 20000));
        AssertSubstitutes(chained, new string('x', 20000));
    }

    public static TheoryData<string, string[], ComposeVariable[]> ExtractCases => new()
    {
        { "empty", [], [] },
        { "no-variables", ["bar"], [] },
        { "variable-without-curly-braces", ["$bar"], [new("bar")] },
        { "variable", ["${bar}"], [new("bar")] },
        { "required-variable", ["${bar?:foo}"], [new("bar", Required: true)] },
        { "required-variable2", ["${bar?foo}"], [new("bar", Required: true)] },
        { "default-variable", ["${bar:-foo}"], [new("bar", DefaultValue: "foo")] },
        { "default-variable2", ["${bar-foo}"], [new("bar", DefaultValue: "foo")] },
        {
            "multiple-values",
            ["${bar:-foo}", "${fruit:-banana}", "vegetable", "foo", "$docker:${project:-cli}", "$toto"],
            [new("bar", DefaultValue: "foo"), new("fruit", DefaultValue: "banana"), new("toto"), new("docker"), new("project", DefaultValue: "cli")]
        },
        { "presence-value-nonEmpty", ["${bar:+foo}"], [new("bar", PresenceValue: "foo")] },
        { "presence-value", ["${bar+foo}"], [new("bar", PresenceValue: "foo")] },
        { "concat", ["${SUBDOMAIN:-redis}.${ROOTDOMAIN:?}"], [new("ROOTDOMAIN", Required: true), new("SUBDOMAIN", DefaultValue: "redis")] },
        { "nested", ["${SUBDOMAIN:-$ROOTDOMAIN}"], [new("ROOTDOMAIN"), new("SUBDOMAIN", DefaultValue: "$ROOTDOMAIN")] },
    };

    [Theory]
    [MemberData(nameof(ExtractCases))]
    public void ExtractVariables(string name, string[] values, ComposeVariable[] expected)
    {
        var actual = ComposeInterpolation.ExtractVariables(values);
        Assert.True(expected.Length == actual.Count, name);
        foreach (var variable in expected)
        {
            Assert.Equal(variable, actual[variable.Name]);
        }
    }
}
