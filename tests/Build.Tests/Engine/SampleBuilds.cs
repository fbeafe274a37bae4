using BuildEngine;

namespace Runbook.Tests.Engine;

/// <summary>A small build exercising every relation; each target records that it ran.</summary>
public class RelationsBuild : NukeBuild
{
    public List<string> Ran { get; } = [];

    [Parameter("A name")] public string? Name;
    [Parameter("Run the optional target")] public bool WithOptional;

    public Target Clean => _ => _.Executes(() => Ran.Add(nameof(Clean)));
    public Target Restore => _ => _.Executes(() => Ran.Add(nameof(Restore)));
    public Target Compile => _ => _.DependsOn(Restore).After(Clean).Executes(() => Ran.Add(nameof(Compile)));
    public Target Test => _ => _.DependsOn(Compile).Triggers(Report).Executes(() => Ran.Add(nameof(Test)));
    public Target Report => _ => _.Executes(() => Ran.Add(nameof(Report)));
    public Target Lint => _ => _.DependentFor(Compile).Executes(() => Ran.Add(nameof(Lint)));
    public Target Notify => _ => _.TriggeredBy(Test).Executes(async () => { await Task.Yield(); Ran.Add(nameof(Notify)); });
    public Target Announce => _ => _.Before(Restore).Executes(() => Ran.Add(nameof(Announce)));
    public Target Optional => _ => _.OnlyWhenStatic(() => WithOptional).Executes(() => Ran.Add(nameof(Optional)));
    public Target Late => _ => _.OnlyWhenDynamic(() => Ran.Count > 100).Executes(() => Ran.Add(nameof(Late)));
    public Target Greet => _ => _.Requires(() => Name).DependsOn(Restore).Executes(() => Ran.Add("Greet " + Name));
    public Target Hidden => _ => _.Unlisted().Executes(() => Ran.Add(nameof(Hidden)));
}

/// <summary>OnlyWhen with a reason: a teardown whose snapshot is skipped in one mode, a check decided at run time.</summary>
public class ConditionsBuild : NukeBuild
{
    public List<string> Ran { get; } = [];

    [Parameter("Keep nothing")] public bool Ephemeral;
    [Parameter("The mode cannot be read")] public bool Unreadable;

    bool KeepsData => Unreadable ? throw new BuildException("the stack's outputs cannot be read.") : !Ephemeral;

    public Target Snapshot => _ => _.OnlyWhenStatic(() => KeepsData, "ephemeral keeps no data").Executes(() => Ran.Add(nameof(Snapshot)));
    public Target Check => _ => _.OnlyWhenDynamic(() => Ran.Count > 100).Executes(() => Ran.Add(nameof(Check)));
    public Target Teardown => _ => _.DependsOn(Snapshot, Check).Executes(() => Ran.Add(nameof(Teardown)));
}

/// <summary>Failure rules: a failing target, one that proceeds after failing, one assured after failure.</summary>
public class FailureBuild : NukeBuild
{
    public List<string> Ran { get; } = [];

    public Target Fails => _ => _.Executes(() => { Ran.Add(nameof(Fails)); throw new BuildException("Fails broke."); });
    public Target FailsButProceeds => _ => _.ProceedAfterFailure().Executes(() => { Ran.Add(nameof(FailsButProceeds)); throw new InvalidOperationException("boom"); });
    public Target NeedsFails => _ => _.DependsOn(Fails).Executes(() => Ran.Add(nameof(NeedsFails)));
    public Target Independent => _ => _.After(Fails, FailsButProceeds).Executes(() => Ran.Add(nameof(Independent)));
    public Target Cleanup => _ => _.AssuredAfterFailure().After(Fails, FailsButProceeds, Independent, NeedsFails).Executes(() => Ran.Add(nameof(Cleanup)));
}

public class CycleBuild : NukeBuild
{
    public Target A => _ => _.DependsOn(C);
    public Target B => _ => _.DependsOn(A);
    public Target C => _ => _.After(B);
}

public enum Flavor { Vanilla, Chocolate }

/// <summary>One parameter of every supported type, and a secret.</summary>
public class ParametersBuild : NukeBuild
{
    [Parameter("Instance types"), NotEmpty] public string[] InstanceTypes = ["t4g.small"];
    // readonly, as NUKE's parameters are: the engine still sets them.
    [Parameter("Count")] public readonly int Count = 1;
    [Parameter("Flavor")] public readonly Flavor Flavor = Flavor.Vanilla;
    [Parameter("Age"), Positive] public TimeSpan OlderThan = TimeSpan.FromDays(30);
    [Parameter("Flag")] public bool Force;
    [Parameter("Stack"), Matches("[a-z-]+", "lower-case letters and dashes")] public string Stack { get; set; } = "dev";
    [Parameter("Token"), Secret] public string? ApiToken;

    public string Seen = "";

    public Target Show => _ => _.Executes(() =>
    {
        Seen = $"{string.Join("+", InstanceTypes)}|{Count}|{Flavor}|{OlderThan}|{Force}|{Stack}";
        Log.Information($"token is {ApiToken}");
    });
}

/// <summary>Targets and parameters from several area files (as the compiler would record them), with an area order declared in code.</summary>
public class AreasBuild : NukeBuild
{
    protected internal override IReadOnlyList<string> AreaOrder => ["Deploy", "Build"];

    [Parameter("In Tools", "/src/build/Build.Tools.cs")] public string? ToolParameter;
    [Parameter("In Deploy", "/src/build/Build.Deploy.cs")] public string? DeployParameter;
    [Parameter("In Build", "/src/build/Build.cs")] public string? MainParameter;

    public Target Zeta => _ => _.Description("Tools area, not listed", "/src/build/Build.Tools.cs");
    public Target Pack => _ => _.Description("Build area, listed second", "/src/build/Build.cs");
    public Target Up => _ => _.Description("Deploy area, listed first", "/src/build/Build.Deploy.cs");
    public Target Alpha => _ => _.Description("Checks area, not listed", "/src/build/Build.Checks.cs");
    public Target Down => _ => _.Description("Deploy area, declared after Up", "/src/build/Build.Deploy.cs");
}
