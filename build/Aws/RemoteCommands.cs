using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using BuildEngine;

/// <summary>How a command on the instance ended: Systems Manager's status, the shell's exit code, what it printed, when it ended.</summary>
public sealed record CommandResult(string Status, int ExitCode, string Output, string Error, DateTime Ended, TimeSpan Took)
{
    public bool Succeeded => Status == "Success" && ExitCode == 0;

    /// <summary>Systems Manager keeps at most this much of each stream in GetCommandInvocation.</summary>
    public const int OutputLimit = 24000;

    public bool Truncated => Output.Length >= OutputLimit || Error.Length >= OutputLimit;
}

/// <summary>
/// Runs shell commands on one instance through Systems Manager Run Command (AWS-RunShellScript): SendCommand, then
/// GetCommandInvocation until the command ends or the timeout passes.
/// </summary>
public sealed class RemoteCommands(IAmazonSimpleSystemsManagement ssm, TimeProvider time, TimeSpan pollInterval, CancellationToken cancellationToken)
{
    static readonly string[] Ended = ["Success", "Failed", "Cancelled", "TimedOut"];

    /// <summary>Runs <paramref name="commands"/> (one script, in order) as root; <paramref name="comment"/> shows in the Run Command history.</summary>
    /// <remarks>
    /// Ctrl+C does not stop the command on the instance: the run ends with a <see cref="RemoteCommandInterruptedException"/>
    /// naming the command still running and how to see how it ends.
    /// </remarks>
    public async Task<CommandResult> RunAsync(string instanceId, IReadOnlyList<string> commands, string comment, TimeSpan timeout)
    {
        var seconds = ((int)Math.Clamp(timeout.TotalSeconds, 30, 172800)).ToString(CultureInfo.InvariantCulture);
        SendCommandResponse sent;
        try
        {
            sent = await AwsErrors.Call("ssm:SendCommand", () => ssm.SendCommandAsync(new SendCommandRequest
            {
                DocumentName = "AWS-RunShellScript",
                InstanceIds = [instanceId],
                Comment = comment.Length > 100 ? comment[..100] : comment,
                Parameters = new Dictionary<string, List<string>> { ["commands"] = [.. commands], ["executionTimeout"] = [seconds] },
            }, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RemoteCommandInterruptedException(null, instanceId, comment,
                $"Interrupted while Systems Manager was accepting Run Command ({comment}) for {instanceId}: it may run anyway; " +
                $"aws ssm list-commands --instance-id {instanceId} shows it.");
        }
        var commandId = sent.Command.CommandId;
        Log.Debug($"Run Command {commandId} on {instanceId}: {comment}");
        try
        {
            return await PollAsync(commandId, instanceId, timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RemoteCommandInterruptedException(commandId, instanceId, comment,
                $"Interrupted: Run Command {commandId} ({comment}) is still running on {instanceId}; " +
                $"aws ssm get-command-invocation --command-id {commandId} --instance-id {instanceId} shows how it ends.");
        }
    }

    async Task<CommandResult> PollAsync(string commandId, string instanceId, TimeSpan timeout)
    {
        var started = time.GetUtcNow().UtcDateTime;
        while (true)
        {
            await Task.Delay(pollInterval, time, cancellationToken);
            var invocation = await InvocationAsync(commandId, instanceId);
            if (invocation is not null && Ended.Contains(invocation.Status?.Value))
            {
                var ended = ParseTime(invocation.ExecutionEndDateTime) ?? time.GetUtcNow().UtcDateTime;
                return new CommandResult(invocation.Status!.Value, invocation.ResponseCode ?? -1, invocation.StandardOutputContent ?? "",
                    invocation.StandardErrorContent ?? "", ended, ended - (ParseTime(invocation.ExecutionStartDateTime) ?? started));
            }
            // Run Command stops it by itself at executionTimeout; this bound only guards against an answer that never changes.
            if (time.GetUtcNow().UtcDateTime - started > timeout + TimeSpan.FromMinutes(2))
                throw new BuildException($"Run Command {commandId} on {instanceId} is still {invocation?.Status?.Value ?? "not started"} after {timeout}; " +
                                         $"see it with aws ssm get-command-invocation --command-id {commandId} --instance-id {instanceId}.");
        }
    }

    /// <summary>The invocation, or null right after SendCommand while Systems Manager has not recorded it yet.</summary>
    async Task<GetCommandInvocationResponse?> InvocationAsync(string commandId, string instanceId)
    {
        try
        {
            return await ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId }, cancellationToken);
        }
        catch (InvocationDoesNotExistException)
        {
            return null;
        }
        catch (Exception e) when (AwsErrors.Explain("ssm:GetCommandInvocation", e) is { } explained)
        {
            throw explained;
        }
    }

    static DateTime? ParseTime(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}

/// <summary>
/// Ctrl+C while a Run Command was sent or running: the message names it (<see cref="CommandId"/>, null when it may not have
/// been accepted) and how to check it; a step that knows how to resume adds that with <see cref="Resumed"/>.
/// </summary>
public sealed class RemoteCommandInterruptedException(string? commandId, string instanceId, string what, string message) : BuildException(message)
{
    public string? CommandId { get; } = commandId;
    public string InstanceId { get; } = instanceId;
    public string What { get; } = what;

    /// <summary>The same sentence, with what the interrupted step left undone and the command that resumes it.</summary>
    public BuildException Resumed(string resume) => new(Message.TrimEnd('.') + "; " + resume);
}
