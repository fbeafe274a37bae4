/// <summary>Counts of one test suite; a suite that could not run counts as one failure.</summary>
public sealed record SuiteResult(string Suite, int Passed, int Failed, int Skipped, TimeSpan Duration, string? Problem = null)
{
    public static SuiteResult DidNotRun(string suite, TimeSpan duration, string problem) => new(suite, 0, 1, 0, duration, problem);
}
