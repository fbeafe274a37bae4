using System.Reflection;
using System.Text;

namespace BuildEngine;

/// <summary>A [Parameter] member of the build, with where its current value came from.</summary>
public sealed class ParameterMember
{
    internal ParameterMember(MemberInfo member, ParameterAttribute attribute)
    {
        Member = member;
        Name = attribute.Name ?? member.Name;
        Description = attribute.Description;
        IsSecret = member.GetCustomAttribute<SecretAttribute>() is not null;
        Rules = member.GetCustomAttributes<ValueRuleAttribute>().ToList();
    }

    internal MemberInfo Member { get; }
    public string Name { get; }
    public string? Description { get; }
    public bool IsSecret { get; }
    public IReadOnlyList<ValueRuleAttribute> Rules { get; }
    public string Source { get; internal set; } = "default";
    public Type Type => Member is FieldInfo f ? f.FieldType : ((PropertyInfo)Member).PropertyType;
    public string CliName => "--" + ToKebabCase(Name);

    /// <summary>How many command-line words it takes: a bool none or true/false, a list every word up to the next option.</summary>
    public OptionArity Arity => (Nullable.GetUnderlyingType(Type) ?? Type) switch
    {
        var t when t == typeof(bool) => OptionArity.Switch,
        { IsArray: true } => OptionArity.Many,
        _ => OptionArity.Single,
    };

    public object? GetValue(object build) => Member is FieldInfo f ? f.GetValue(build) : ((PropertyInfo)Member).GetValue(build);

    internal void SetValue(object build, object? value)
    {
        if (Member is FieldInfo f) f.SetValue(build, value);
        else ((PropertyInfo)Member).SetValue(build, value);
    }

    /// <summary>Case-, dash- and underscore-insensitive form used to match CLI, env and JSON names.</summary>
    public static string Normalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
            if (c is not ('-' or '_' or '.')) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }

    public static string ToKebabCase(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    internal static IReadOnlyList<ParameterMember> Discover(Type buildType, DeclarationOrder order)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = new List<(ParameterMember Parameter, (int, string, int) Key)>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            foreach (var member in type.GetMembers(flags | BindingFlags.DeclaredOnly))
                if (member is FieldInfo or PropertyInfo && member.GetCustomAttribute<ParameterAttribute>() is { } attribute)
                    members.Add((new ParameterMember(member, attribute), order.KeyOf(attribute.SourceFile, member.MetadataToken)));
        return members.OrderBy(m => m.Key).Select(m => m.Parameter).ToList();
    }
}
