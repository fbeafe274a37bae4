using BuildEngine;
using Spectre.Console;

/// <summary>What one poll saw: done yet, how far (0-100), and a word for the progress line.</summary>
public readonly record struct WaitState(bool Done, double Percent, string Status);

/// <summary>How a target waits for AWS: where the progress shows, on which clock, how often it polls, and for how long at most.</summary>
public sealed record Waiting(IAnsiConsole Console, TimeProvider Time, TimeSpan Interval, TimeSpan Timeout);

/// <summary>
/// Polls until done with a progress bar, bounded in time: a snapshot completing, a volume detaching. Timing out or being
/// interrupted (Ctrl+C) ends in one sentence from the caller: what is still in progress in AWS and the command that resumes.
/// </summary>
public static class Waiter
{
    public static async Task WaitAsync(Waiting waiting, string description, Func<Task<WaitState>> poll, Func<WaitState, string> timedOut,
        Func<WaitState?, string> interrupted, CancellationToken cancellationToken)
    {
        WaitState? last = null;
        try
        {
            await PollAsync(waiting, description, async () => (last = await poll()).Value, timedOut, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new BuildException(interrupted(last));
        }
    }

    static Task PollAsync(Waiting waiting, string description,
        Func<Task<WaitState>> poll, Func<WaitState, string> timedOut, CancellationToken cancellationToken)
    {
        var (console, time, interval, timeout) = waiting;
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 100);
                var started = time.GetTimestamp();
                string? shown = null;
                while (true)
                {
                    var state = await poll();
                    // Without a terminal the bar is not drawn: log each change instead (CI logs).
                    var line = $"{description}: {state.Status} ({state.Percent:0}%)";
                    if (!console.Profile.Capabilities.Interactive && line != shown) Log.Information(shown = line);
                    task.Value = Math.Clamp(state.Percent, 0, 100);
                    task.Description = Markup.Escape($"{description} ({state.Status})");
                    if (state.Done)
                    {
                        task.Value = 100;
                        task.StopTask();
                        return;
                    }
                    if (time.GetElapsedTime(started) + interval > timeout) throw new BuildException(timedOut(state));
                    await Task.Delay(interval, time, cancellationToken);
                }
            });
    }
}
