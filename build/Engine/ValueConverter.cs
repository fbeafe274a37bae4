using System.Globalization;
using System.Text.RegularExpressions;

namespace BuildEngine;

/// <summary>Converts parameter text into the member's type; a failure names the parameter and what is accepted.</summary>
public static partial class ValueConverter
{
    public static object? Convert(string parameter, Type type, IReadOnlyList<string> values)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray)
        {
            var elementType = underlying.GetElementType()!;
            var items = values.SelectMany(v => v.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var array = Array.CreateInstance(elementType, items.Count);
            for (var i = 0; i < items.Count; i++) array.SetValue(ConvertScalar(parameter, elementType, items[i]), i);
            return array;
        }
        if (values.Count == 0)
            return underlying == typeof(bool) ? true : throw Fail(parameter, underlying, "(no value)");
        if (values.Count > 1)
            throw new BuildException($"Parameter {parameter} takes one value but got {values.Count}: {string.Join(" ", values)}.");
        return ConvertScalar(parameter, underlying, values[0]);
    }

    public static string AcceptedValues(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray) return AcceptedValues(underlying.GetElementType()!) + "[] (space separated)";
        if (underlying.IsEnum) return string.Join("|", Enum.GetNames(underlying));
        if (underlying == typeof(bool)) return "true|false";
        if (underlying == typeof(int) || underlying == typeof(long)) return "a whole number";
        if (underlying == typeof(double) || underlying == typeof(decimal)) return "a number";
        if (underlying == typeof(TimeSpan)) return "a duration like 30d, 12h, 90m, 45s or 01:30:00";
        return "text";
    }

    static object ConvertScalar(string parameter, Type type, string text)
    {
        text = text.Trim();
        if (type == typeof(string)) return text;
        if (type.IsEnum)
            return Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse(type, name)
                : throw Fail(parameter, type, text);
        if (type == typeof(bool)) return TryParseBool(text) ?? throw Fail(parameter, type, text);
        if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        if (type == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (type == typeof(decimal) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)) return m;
        if (type == typeof(TimeSpan) && TryParseDuration(text, out var span)) return span;
        throw Fail(parameter, type, text);
    }

    /// <summary>true/yes/1/on or false/no/0/off (any case); null for any other word.</summary>
    public static bool? TryParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "on" => true,
        "false" or "no" or "0" or "off" => false,
        _ => null,
    };

    public static bool TryParseDuration(string text, out TimeSpan span)
    {
        var match = DurationPattern().Match(text);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            span = match.Groups[2].Value switch
            {
                "w" => TimeSpan.FromDays(amount * 7),
                "d" => TimeSpan.FromDays(amount),
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out span);
    }

    static BuildException Fail(string parameter, Type type, string text) =>
        new($"Parameter {parameter} got '{text}'; accepted: {AcceptedValues(type)}.");

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([wdhms])$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();
}
