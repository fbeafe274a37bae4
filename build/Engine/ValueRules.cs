using System.Text.RegularExpressions;

namespace BuildEngine;

/// <summary>
/// A check on a parameter's value, run by the engine right after injection (command line, env, JSON or default) and so
/// before any target runs: a refused value ends the build with exit 2 and one sentence naming the parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true)]
public abstract class ValueRuleAttribute : Attribute
{
    /// <summary>What the rule accepts, for the error (e.g. "more than zero").</summary>
    public abstract string Accepted { get; }

    /// <summary>The offending text (<paramref name="text"/> or one list item) when the value is refused; null when it is fine.</summary>
    public abstract string? Refuse(object value, string text);
}

/// <summary>A list needs at least one item; text must not be blank (<c>--instance-types ""</c>).</summary>
public sealed class NotEmptyAttribute : ValueRuleAttribute
{
    public override string Accepted => "at least one value";

    public override string? Refuse(object value, string text) => value switch
    {
        Array { Length: 0 } => text,
        string s when string.IsNullOrWhiteSpace(s) => text,
        _ => null,
    };
}

/// <summary>A duration or number must be more than zero (<c>--wait-timeout 0</c>, <c>--older-than -5</c>).</summary>
public sealed class PositiveAttribute : ValueRuleAttribute
{
    public override string Accepted => "more than zero";

    public override string? Refuse(object value, string text) => value switch
    {
        TimeSpan t when t <= TimeSpan.Zero => text,
        int i when i <= 0 => text,
        long l when l <= 0 => text,
        double d when !(d > 0) => text,
        decimal m when m <= 0 => text,
        _ => null,
    };
}

/// <summary>Text, or every item of a list, must match <paramref name="pattern"/> whole (ids of the right shape).</summary>
public sealed class MatchesAttribute(string pattern, string accepted) : ValueRuleAttribute
{
    readonly Regex _regex = new($@"^(?:{pattern})\z", RegexOptions.CultureInvariant);

    public override string Accepted => accepted;

    public override string? Refuse(object value, string text) => value switch
    {
        string s => _regex.IsMatch(s) ? null : s,
        string[] items => items.FirstOrDefault(i => !_regex.IsMatch(i)),
        _ => null,
    };
}

/// <summary>A number must lie between <paramref name="minimum"/> and <paramref name="maximum"/>, both included (<c>--local-port 70000</c>).</summary>
public sealed class RangeAttribute(long minimum, long maximum) : ValueRuleAttribute
{
    public override string Accepted => $"a whole number from {minimum} to {maximum}";

    public override string? Refuse(object value, string text) => value switch
    {
        int i when i < minimum || i > maximum => text,
        long l when l < minimum || l > maximum => text,
        _ => null,
    };
}
