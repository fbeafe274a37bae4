using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>
/// pulumi terminates the stack's spot instance but leaves its persistent request open, and AWS then launches
/// unmanaged instances for it (terraform-provider-aws#38142): Destroy and an instance-replacing Deploy close it.
/// </summary>
public class SpotRequestTests : StackTestBed
{
    const string StackRequest = "sir-7r2k9x4m";

    public SpotRequestTests()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");
        DeployedInAws(spotRequestId: StackRequest);
        Aws.SpotRequests.Add(new FakeSpotRequest { Id = StackRequest, InstanceId = InstanceId });
    }

    List<string> Mutations(string action) => Aws.Requests.Where(r => r.Action == action).Select(r => r.Text).ToList();

    [Fact]
    public void Destroy_cancels_the_request_so_nothing_is_relaunched()
    {
        var run = Pulumi.RunWith(Aws, "Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"CancelSpotInstanceRequests SpotInstanceRequestId.1={StackRequest}"], Mutations("CancelSpotInstanceRequests"));
        Assert.Equal("cancelled", Aws.SpotRequests.Single().State);
        Assert.Contains($"Cancelled the persistent spot request {StackRequest} so AWS launches no new instance", run.Output);
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
        // pulumi terminates the stack's own instance; the build does not.
        Assert.Empty(Mutations("TerminateInstances"));
    }

    [Fact]
    public void Destroy_terminates_an_instance_the_request_already_relaunched()
    {
        Aws.Instances.Add(new FakeInstance("i-0aa1bb2cc3dd4ee5f", "pending", SpotRequestId: StackRequest));
        Aws.Instances.Add(new FakeInstance("i-0ffffffffffffffff", "running", SpotRequestId: "sir-otherstk"));

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        // The stack's own instance is pulumi's to terminate (this fake pulumi leaves it running); the relaunched one is not in the stack.
        Assert.Equal(["TerminateInstances InstanceId.1=i-0aa1bb2cc3dd4ee5f"], Mutations("TerminateInstances"));
        Assert.Contains("Terminated i-0aa1bb2cc3dd4ee5f: launched by the old spot request", run.Output);
        Assert.Equal("running", Aws.Instances.Single(i => i.Id == "i-0ffffffffffffffff").State);
    }

    [Fact]
    public void An_already_cancelled_request_is_not_cancelled_again()
    {
        Aws.SpotRequests.Single().State = "cancelled";

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(Mutations("CancelSpotInstanceRequests"));
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void Without_credentials_Destroy_stops_before_pulumi_destroys_anything()
    {
        var run = Pulumi.Run("Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No AWS credentials", run.Output);
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void Deploy_that_replaces_the_instance_retires_the_old_request()
    {
        const string newInstance = "i-0123456789abcdef0";
        Pulumi.AnswerWithScenario("preview", "preview-instance-replaced.json").InstanceAfterUp(newInstance);
        Aws.Instances.Add(new FakeInstance(newInstance, "running", SpotRequestId: "sir-newone12"));
        Aws.SpotRequests.Add(new FakeSpotRequest { Id = "sir-newone12", InstanceId = newInstance });
        // What AWS does when pulumi terminated the old instance: its request launches another.
        Aws.Instances.Add(new FakeInstance("i-0aa1bb2cc3dd4ee5f", "pending", SpotRequestId: StackRequest));

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"CancelSpotInstanceRequests SpotInstanceRequestId.1={StackRequest}"], Mutations("CancelSpotInstanceRequests"));
        Assert.Equal(["TerminateInstances InstanceId.1=i-0aa1bb2cc3dd4ee5f"], Mutations("TerminateInstances"));
        Assert.Equal("active", Aws.SpotRequests.Single(q => q.Id == "sir-newone12").State);
        Assert.Contains($"of the replaced instance {InstanceId}", run.Output);
    }

    [Fact]
    public void Deploy_that_only_updates_the_instance_asks_AWS_nothing()
    {
        Pulumi.AnswerWithScenario("preview", "preview-one-update.json");

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(Aws.Requests);
    }
}
