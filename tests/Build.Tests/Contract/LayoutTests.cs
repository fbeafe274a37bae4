using System.Text.RegularExpressions;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Contract;

/// <summary>
/// Where code lives in build/ (docs/design.md, Layout): area files (Build.*.cs) hold parameters and targets, the steps they
/// take are in Runbook/, and only Aws/ speaks to AWS: calls an SDK client, builds a request, or wraps a call for its errors.
/// </summary>
public partial class LayoutTests
{
    [GeneratedRegex(@"\bnew \w+Request\b|\bAwsErrors\.Call\b|\.(?:Ec2|S3|Sts|Ssm)\.\w+Async\(")]
    private static partial Regex AwsCall();

    /// <summary>Lines outside comments that call AWS themselves, as "path:line: code".</summary>
    static IEnumerable<string> AwsCalls(string path, IEnumerable<string> lines) =>
        lines.Select((line, i) => (Code: line.Trim(), Number: i + 1))
            .Where(l => !l.Code.StartsWith("//", StringComparison.Ordinal) && AwsCall().IsMatch(l.Code))
            .Select(l => $"{path}:{l.Number}: {l.Code}");

    [Fact]
    public void The_check_finds_an_SDK_call_a_request_and_a_wrapped_call()
    {
        string[] sample =
        [
            "var found = await aws.Ec2.DescribeVolumesAsync(request, CancellationToken);",
            "var request = new DescribeSnapshotsRequest { OwnerIds = [\"self\"] };",
            "await AwsErrors.Call(\"ssm:GetParameter\", () => ssm.GetParameterAsync(name));",
            "// aws.Ec2.DescribeVolumesAsync in a comment is no call",
            "var logs = new StackLogs(aws.Logs, Stack, Console);",
        ];

        Assert.Equal(["Build.Sample.cs:1", "Build.Sample.cs:2", "Build.Sample.cs:3"], AwsCalls("Build.Sample.cs", sample).Select(p => p[..p.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Area_files_and_steps_leave_calling_AWS_to_build_Aws()
    {
        var build = Path.Combine(RepositoryRoot.Path, "build");
        var files = Directory.GetFiles(build, "Build*.cs").Concat(Directory.GetFiles(Path.Combine(build, "Runbook"), "*.cs")).ToList();

        Assert.Contains(files, f => Path.GetFileName(f) == "Build.Lifecycle.cs");
        Assert.Empty(files.SelectMany(f => AwsCalls(Path.GetRelativePath(RepositoryRoot.Path, f), File.ReadLines(f))));
    }

    [Fact]
    public void Area_files_declare_no_classes_but_the_partial_build()
    {
        var declarations = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "build"), "Build*.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Number: i + 1, Line: line)))
            .Where(l => Regex.IsMatch(l.Line, @"^\s*(?:public |internal |sealed |static |abstract |partial )*(?:class|record|struct|interface) \w+")
                        && !Regex.IsMatch(l.Line, @"^partial class Build\b"))
            .Select(l => $"{l.File}:{l.Number}: {l.Line.Trim()}");

        // A parameter's enum (SpotPick, TestSuite) may stay beside its parameter.
        Assert.Empty(declarations);
    }
}
