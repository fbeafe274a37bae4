using Runbook.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Runbook.Tests.Fakes;

/// <summary>infra/platform/permissions.yaml, the one source of the AWS permissions, as the C# tests read it.</summary>
public sealed class PermissionsSource
{
    public static readonly string File = Path.Combine(RepositoryRoot.Path, "infra", "platform", "permissions.yaml");

    static readonly Lazy<PermissionsSource> Loaded = new(() => new PermissionsSource(System.IO.File.ReadAllText(File)));
    public static PermissionsSource Current => Loaded.Value;

    public sealed record Operation(string Id, string Caller, IReadOnlyList<string> Targets, IReadOnlyList<string> Actions);

    public IReadOnlyList<Operation> Operations { get; }

    public PermissionsSource(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Operations = ((YamlSequenceNode)root["operations"]).Cast<YamlMappingNode>().Select(op => new Operation(
            op["id"].ToString(),
            op["caller"].ToString(),
            ((YamlSequenceNode)op["targets"]).Select(t => t.ToString()).ToList(),
            ((YamlSequenceNode)op["statements"]).Cast<YamlMappingNode>()
                .SelectMany(s => ((YamlSequenceNode)s["actions"]).Select(a => a.ToString())).Distinct().ToList())).ToList();
    }

    /// <summary>Whether any operation grants the action (exactly, or by a read wildcard such as ec2:Describe*).</summary>
    public bool Grants(string action) => Operations.SelectMany(o => o.Actions).Any(granted =>
        granted.EndsWith('*') ? action.StartsWith(granted[..^1], StringComparison.Ordinal) : granted == action);

    /// <summary>The IAM action behind a request the fake AWS answered; null for what is not an AWS API.</summary>
    public static string? IamAction(string service, string action) => (service, action) switch
    {
        ("s3", "ListObjectsV2") => "s3:ListBucket",
        ("ec2" or "sts" or "ssm" or "dlm" or "s3" or "logs", _) => $"{service}:{action}",
        _ => null,
    };
}
