/// <summary>The runbook's steps (build/Runbook/), made from this run's parameters; the area files call them from their targets.</summary>
partial class Build
{
    /// <summary>The selected stack as the steps see it; made per use, so a test's StackState set after start-up is the one used.</summary>
    StackContext Run => new(Stack, StackState, region => AwsAsync(region), Console, Waiting, CancellationToken);

    StackInstance Instance => new(Run, OpenClawCli, PollInterval, WaitTimeout);

    StackSecrets SecretsStore => new(Run, Yes, KmsKey, ParameterTier);

    DataLossGuards Guards => new(Run, Yes);

    Confirmation Confirmation => new(Console, Yes);
}
