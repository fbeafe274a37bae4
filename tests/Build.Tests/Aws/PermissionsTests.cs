using System.Text.RegularExpressions;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>
/// infra/platform/permissions.yaml against the runbook: every action the fake AWS answers must be granted there (FakeAws
/// checks it on Dispose, in every AWS test); here, the other way round and the names.
/// </summary>
public partial class PermissionsTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    /// <summary>The name the C# code uses for an action, where it is not the action's own (tags on create, S3's list call).</summary>
    static readonly Dictionary<string, string> CodeNames = new()
    {
        ["ec2:CreateTags"] = "TagSpecifications",
        ["s3:ListBucket"] = "ListObjectsV2",
        // The secrets parameter is a SecureString in the stack's key: SSM encrypts and decrypts with it for the caller.
        ["kms:Encrypt"] = "SecureString",
        ["kms:Decrypt"] = "WithDecryption",
        // Connect and Gateway run `aws ssm start-session`; its plugin terminates the session on exit.
        ["ssm:StartSession"] = "\"start-session\"",
        ["ssm:TerminateSession"] = "\"start-session\"",
        // An Advanced-tier SecureString is envelope-encrypted: SSM asks KMS for a data key.
        ["kms:GenerateDataKey"] = "ParameterTier.Advanced",
    };

    static string BuildSource() => string.Join("\n", Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "build"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
        .Select(File.ReadAllText));

    [Fact]
    public void Every_action_granted_for_the_runbook_is_called_by_its_code()
    {
        var source = BuildSource();
        var runbook = PermissionsSource.Current.Operations.Where(o => o.Caller == "runbook").ToList();
        Assert.NotEmpty(runbook);
        Assert.All(runbook.SelectMany(o => o.Actions.Select(a => (o.Id, Action: a))), granted =>
        {
            var name = CodeNames.GetValueOrDefault(granted.Action) ?? granted.Action.Split(':')[1];
            Assert.True(source.Contains(name, StringComparison.Ordinal),
                $"operation {granted.Id} grants {granted.Action}, but nothing in build/ calls {name}: remove it from infra/platform/permissions.yaml.");
        });
    }

    [Fact]
    public void Every_target_the_source_names_is_a_runbook_target()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, "--help", "--no-logo");
        var targets = TargetLine().Matches(run.Output).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("Deploy", targets);
        Assert.All(PermissionsSource.Current.Operations.SelectMany(o => o.Targets.Select(t => (o.Id, Target: t))),
            named => Assert.True(targets.Contains(named.Target), $"operation {named.Id} names {named.Target}, which is not a target of ./build.sh --help."));
    }

    [Fact]
    public void The_fake_aws_fails_a_test_whose_runbook_calls_an_ungranted_action()
    {
        var aws = new FakeAws();
        // An action no operation grants, sent as the EC2 Query API would send it.
        using (var client = new HttpClient())
            client.PostAsync(aws.Url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "CreateKeyPair", ["Version"] = "2016-11-15" })).GetAwaiter().GetResult();

        var error = Assert.Throws<InvalidOperationException>(aws.Dispose);

        Assert.Contains("The runbook called ec2:CreateKeyPair, which infra/platform/permissions.yaml grants no role", error.Message);
    }

    [Theory]
    [InlineData("ec2:DescribeSnapshots", true)]
    [InlineData("ec2:DescribeAnything", true)]
    [InlineData("ec2:CreateSnapshot", true)]
    [InlineData("ec2:CreateKeyPair", false)]
    [InlineData("s3:DeleteObjectVersion", false)]
    [InlineData("ssm:DeleteParameter", false)]
    public void Grants_exact_actions_and_read_wildcards_only(string action, bool granted) =>
        Assert.Equal(granted, PermissionsSource.Current.Grants(action));

    [Theory]
    [InlineData("logs", "FilterLogEvents", "logs:FilterLogEvents")]
    [InlineData("ssm", "SendCommand", "ssm:SendCommand")]
    [InlineData("s3", "ListObjectsV2", "s3:ListBucket")]
    public void The_fake_checks_every_service_it_answers_against_the_source(string service, string action, string iamAction) =>
        Assert.Equal(iamAction, PermissionsSource.IamAction(service, action));

    [GeneratedRegex(@"^  ([A-Z][A-Za-z]+)(?: \(default\))?\s{2,}", RegexOptions.Multiline)]
    private static partial Regex TargetLine();
}
