using BuildEngine;

partial class Build
{
    Target Test => _ => _
        .Description("Runs every test suite: C# (xunit), infra (tsc + vitest), boot scripts (bats).")
        .Executes(() => throw new NotImplementedException());
}
