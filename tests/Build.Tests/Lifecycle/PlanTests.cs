using System.Text.Json;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>
/// Plan end to end: the real infra/ program under Pulumi mocks (npm run plan), no pulumi CLI, no AWS.
/// Runs in a copy of infra/ (its node_modules linked from the checkout) so stack files can be added.
/// </summary>
public class PlanTests : IDisposable
{
    static readonly string Infra = Path.Combine(RepositoryRoot.Path, "infra");
    readonly TempDirectory _root = new();

    public PlanTests()
    {
        NpmDependencies.EnsureAsync(Infra, Environment(), CancellationToken.None).GetAwaiter().GetResult();
        CopyInfra(Infra, _root.Combine("infra"));
        Directory.CreateSymbolicLink(_root.Combine("infra", "node_modules"), Path.Combine(Infra, "node_modules"));
        Directory.CreateSymbolicLink(_root.Combine("cloud-init"), Path.Combine(RepositoryRoot.Path, "cloud-init"));
    }

    public void Dispose() => _root.Dispose();

    Dictionary<string, string> Environment(string path = "/usr/local/bin:/usr/bin:/bin") => new()
    {
        ["PATH"] = path,
        ["HOME"] = _root.Combine("home"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    JsonElement Resources() => JsonDocument.Parse(File.ReadAllText(_root.Combine("artifacts", "plan", "resources.json"))).RootElement;

    [Fact]
    public void Plans_the_example_config_and_checks_the_user_data_without_pulumi()
    {
        var environment = Environment();
        Assert.Null(ProcessRunner.Find("pulumi", environment));

        var run = BuildRun.Of(new global::Build(), _root.Path, environment, "Plan");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Planning stack dev offline from infra/Pulumi.example.yaml", run.Output);
        Assert.Matches(@"1\s+aws:ebs/volume:Volume\s+openclaw-data", run.Output);
        Assert.Contains("User-data:", run.Output);
        var resources = Resources();
        Assert.Equal("dev", resources.GetProperty("stack").GetString());
        Assert.Contains(resources.GetProperty("resources").EnumerateArray(), r => r.GetProperty("type").GetString() == "aws:ebs/volume:Volume");
        Assert.StartsWith("#cloud-config", File.ReadAllText(_root.Combine("artifacts", "plan", "user-data.yaml")));
        if (File.Exists("/usr/bin/cloud-init"))
            Assert.Contains("cloud-init schema --config-file: user-data.yaml is a valid cloud-config.", run.Output);
    }

    [Fact]
    public void Plans_the_stacks_own_config_and_says_when_cloud_init_is_missing()
    {
        File.WriteAllText(_root.Combine("infra", "Pulumi.staging.yaml"),
            File.ReadAllText(Path.Combine(Infra, "Pulumi.example.yaml")).Replace("t4g.small", "t4g.medium"));
        var bin = Directory.CreateDirectory(_root.Combine("bin")).FullName;
        foreach (var tool in new[] { "node", "npm", "sh" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), ProcessRunner.Find(tool, Environment())!);

        var run = BuildRun.Of(new global::Build(), _root.Path, Environment(bin), "Plan", "--stack", "staging");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Planning stack staging offline from infra/Pulumi.staging.yaml", run.Output);
        Assert.Contains("WARNING: cloud-init is not installed, so user-data.yaml was not checked", run.Output);
        var instance = Resources().GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "aws:ec2/instance:Instance");
        Assert.Equal("t4g.medium", instance.GetProperty("inputs").GetProperty("instanceType").GetString());
    }

    [Fact]
    public void Plans_the_retained_volume_example_named_with_config_file()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, Environment(), "Plan", "--config-file", "infra/Pulumi.retained.example.yaml");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Planning stack dev offline from {_root.Combine("infra", "Pulumi.retained.example.yaml")}", run.Output);
        var volume = Resources().GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "aws:ebs/volume:Volume");
        Assert.True(volume.GetProperty("options").GetProperty("retainOnDelete").GetBoolean());
    }

    [Fact]
    public void A_config_file_that_does_not_exist_is_one_sentence()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, Environment(), "Plan", "--config-file", "infra/Pulumi.nowhere.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: No stack config to plan: --config-file {_root.Combine("infra", "Pulumi.nowhere.yaml")} does not exist.", run.Output);
    }

    [Fact]
    public void Plans_a_mode_s_example_config_by_its_stack_name_ephemeral_without_volume_DLM_or_bucket()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, Environment(), "Plan", "--stack", "ephemeral");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Planning stack ephemeral offline from infra/Pulumi.ephemeral.example.yaml", run.Output);
        var types = Resources().GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("type").GetString()).ToList();
        Assert.Contains("aws:ec2/instance:Instance", types);
        Assert.DoesNotContain("aws:ebs/volume:Volume", types);
        Assert.DoesNotContain("aws:dlm/lifecyclePolicy:LifecyclePolicy", types);
        Assert.DoesNotContain("aws:s3/bucket:Bucket", types);
        Assert.Equal("ephemeral", Resources().GetProperty("outputs").GetProperty("persistence").GetString());
        Assert.DoesNotContain("path: /etc/systemd/system/openclaw-mount.service", File.ReadAllText(_root.Combine("artifacts", "plan", "user-data.yaml")));
    }

    [Fact]
    public void Plans_the_dr_example_with_its_cross_region_copy_rule()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, Environment(), "Plan", "--stack", "dr");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Planning stack dr offline from infra/Pulumi.dr.example.yaml", run.Output);
        Assert.Matches(@"copied to eu-central-1: encrypted with key arn:aws:kms:eu-central-1:123456789012:key/[0-9a-f-]+, kept 14 days, tags copied", run.Output);
        var policy = Resources().GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "aws:dlm/lifecyclePolicy:LifecyclePolicy");
        var rule = policy.GetProperty("inputs").GetProperty("policyDetails").GetProperty("schedules")[0].GetProperty("crossRegionCopyRules")[0];
        Assert.Equal("eu-central-1", rule.GetProperty("target").GetString());
        Assert.True(rule.GetProperty("encrypted").GetBoolean());
        Assert.Equal(14, rule.GetProperty("retainRule").GetProperty("interval").GetInt32());
    }

    [Fact]
    public void A_config_the_program_rejects_fails_Plan_with_the_reason()
    {
        File.WriteAllText(_root.Combine("infra", "Pulumi.broken.yaml"),
            File.ReadAllText(Path.Combine(Infra, "Pulumi.example.yaml")).Replace("openclaw:availability_zone: me-central-1a", "openclaw:availability_zone: us-east-1a"));

        var run = BuildRun.Of(new global::Build(), _root.Path, Environment(), "Plan", "--stack", "broken");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("plan failed:", run.Output);
        Assert.Contains("ERROR: The offline plan failed (npm run plan exited 1); the reason is above.", run.Output);
        Assert.False(File.Exists(_root.Combine("artifacts", "plan", "user-data.yaml")));
    }

    /// <summary>infra/ without node_modules and test files, keeping modification times (so node_modules stays "fresh").</summary>
    static void CopyInfra(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => !Path.GetFileName(f).StartsWith("Pulumi.", StringComparison.Ordinal) || f.EndsWith(".example.yaml") || f.EndsWith("Pulumi.yaml")))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
        foreach (var directory in new[] { "src", "scripts" })
            CopyTree(Path.Combine(from, directory), Path.Combine(to, directory));
    }

    static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.GetDirectories(from)) CopyTree(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
