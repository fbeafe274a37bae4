using System.Runtime.CompilerServices;

namespace BuildEngine;

/// <summary>Marks a field or property as a build parameter: <c>--kebab-case-name value</c>, env, or .nuke/parameters*.json.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null, [CallerFilePath] string sourceFile = "") : Attribute
{
    public string? Description { get; } = description;

    /// <summary>The file the parameter is declared in (its area in --help), as the compiler recorded it.</summary>
    public string SourceFile { get; } = sourceFile;

    /// <summary>Overrides the member name as the parameter's name.</summary>
    public string? Name { get; set; }
}

/// <summary>A parameter whose value is never printed (masked in logs and --help).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
