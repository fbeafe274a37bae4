using System.Text.Json;
using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>
/// What the runbook does on the stack's running instance through Run Command: the openclaw CLI in the gateway container
/// (through the root-disk wrapper, argv verbatim), device pairing, a backup now, a gateway restart.
/// </summary>
public sealed class OpenClawInstance(RemoteCommands commands, string instanceId, string stack, IAnsiConsole console, TimeSpan timeout)
{
    /// <summary>The wrapper that runs <c>openclaw "$@"</c> in the gateway container (docs/contracts.md).</summary>
    public const string DefaultCli = "/usr/local/bin/openclaw-cli";

    /// <summary>The wrapper's path on the instance; tests point it at a recording script.</summary>
    public string Cli { get; init; } = DefaultCli;

    public string InstanceId => instanceId;

    /// <summary>Runs <c>openclaw &lt;arguments&gt;</c>, prints what it printed, and fails with its exit code when it fails.</summary>
    public async Task OpenClawAsync(IReadOnlyList<string> arguments)
    {
        var result = await RunCliAsync(arguments);
        Print(result);
        if (!result.Succeeded) throw Failed(result, $"openclaw {arguments[0]}");
    }

    /// <summary>The pending pairing requests as a table, and how many devices are paired.</summary>
    public async Task<IReadOnlyList<PairingRequest>> DevicesAsync(bool show)
    {
        var result = await RunCliAsync(["devices", "list", "--json"]);
        if (!result.Succeeded)
        {
            Print(result);
            throw Failed(result, "openclaw devices list");
        }
        var listing = DeviceListing.Parse(result.Output);
        if (!show) return listing.Pending;
        if (listing.Pending.Count == 0) Log.Information($"No pending pairing requests on stack {stack} ({listing.PairedCount} device(s) paired).");
        else
        {
            var table = new Table().Border(TableBorder.Simple).Title($"Pending pairing requests on stack {stack}")
                .AddColumns("Request", "Device", "IP", "Role", "Requested (UTC)");
            foreach (var r in listing.Pending)
                table.AddRow(Markup.Escape(r.RequestId), Markup.Escape(r.Device), Markup.Escape(r.RemoteIp ?? ""), Markup.Escape(r.Role ?? ""), Utc(r.Requested));
            console.Write(table);
            Log.Information($"{listing.PairedCount} device(s) paired. Approve: ./build.sh ApproveDevices --stack {stack} --request <request> (or --all).");
        }
        return listing.Pending;
    }

    /// <summary>Approves each request (each a fresh <c>devices approve</c>); stops at the first that fails.</summary>
    public async Task ApproveAsync(IReadOnlyList<PairingRequest> requests)
    {
        foreach (var request in requests)
        {
            var result = await RunCliAsync(["devices", "approve", request.RequestId]);
            if (!result.Succeeded)
            {
                Print(result);
                throw Failed(result, $"openclaw devices approve {request.RequestId}");
            }
            Log.Information($"Approved pairing request {request.RequestId} ({request.Device}).");
        }
    }

    /// <summary>Runs the backup unit now and waits for it (the unit's journal of this run is printed).</summary>
    public async Task<CommandResult> BackupAsync()
    {
        var result = await commands.RunAsync(instanceId,
        [
            "started=$(date +%s)",
            "systemctl start --wait openclaw-backup.service",
            "status=$?",
            "journalctl --unit openclaw-backup.service --since \"@$started\" --output cat --no-pager | tail -n 20",
            "exit $status",
        ], $"openclaw-runbook BackupNow (stack {stack})", timeout);
        Print(result);
        return result;
    }

    /// <summary>Restarts the gateway service: its start fetches the secrets parameter again.</summary>
    public async Task RestartGatewayAsync()
    {
        var result = await commands.RunAsync(instanceId, ["systemctl restart openclaw.service", "systemctl is-active openclaw.service"],
            $"openclaw-runbook restart gateway (stack {stack})", timeout);
        if (!result.Succeeded)
        {
            Print(result);
            throw Failed(result, "systemctl restart openclaw.service");
        }
        Log.Information($"Restarted openclaw.service on {instanceId}: the gateway runs with the new secrets.");
    }

    Task<CommandResult> RunCliAsync(IReadOnlyList<string> arguments) =>
        // The comment names the subcommand only: arguments may be private (they are in the Run Command history as it is).
        commands.RunAsync(instanceId, [ShellWords.CommandLine(Cli, arguments)], $"openclaw-runbook openclaw {arguments[0]} (stack {stack})", timeout);

    void Print(CommandResult result)
    {
        var writer = console.Profile.Out.Writer;
        foreach (var text in new[] { result.Output, result.Error }.Where(t => t.Length > 0))
        {
            writer.Write(text);
            if (!text.EndsWith('\n')) writer.WriteLine();
        }
        if (result.Truncated) Log.Warning($"Systems Manager keeps only the first {CommandResult.OutputLimit} characters of the output; the rest was cut.");
    }

    BuildException Failed(CommandResult result, string what) => result.Status switch
    {
        "TimedOut" => new BuildException($"{what} on {instanceId} did not finish within {timeout}; raise --wait-timeout or look at ./build.sh Logs --stack {stack}."),
        "Cancelled" => new BuildException($"{what} on {instanceId} was cancelled before it finished."),
        _ => new BuildException($"{what} failed on {instanceId} with exit code {result.ExitCode}.", result.ExitCode > 0 ? result.ExitCode : 1),
    };
}

/// <summary>One pending device pairing request as <c>openclaw devices list --json</c> shows it.</summary>
public sealed record PairingRequest(string RequestId, string Device, string? RemoteIp, string? Role, DateTime? Requested);

/// <summary>The parts of <c>openclaw devices list --json</c> the runbook shows: pending requests and the paired count.</summary>
public sealed record DeviceListing(IReadOnlyList<PairingRequest> Pending, int PairedCount)
{
    /// <summary>
    /// The real CLI can print text first (a banner, a config warning): the JSON starts at the first line that begins with
    /// <c>{</c>, and anything after it ends is ignored.
    /// </summary>
    public static DeviceListing Parse(string output)
    {
        try
        {
            var lines = output.Split('\n');
            var first = System.Array.FindIndex(lines, l => l.TrimStart().StartsWith('{'));
            if (first < 0) throw new JsonException("no line begins with {");
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines[first..])));
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var pending = Array(root, "pending").Select(r => new PairingRequest(
                Text(r, "requestId") ?? "",
                Text(r, "displayName") ?? Text(r, "deviceId") ?? "",
                Text(r, "remoteIp"),
                Text(r, "role") ?? (r.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array ? string.Join(", ", roles.EnumerateArray().Select(x => x.ToString())) : null),
                r.TryGetProperty("ts", out var ts) && ts.TryGetInt64(out var ms) ? DateTime.UnixEpoch.AddMilliseconds(ms) : null))
                .Where(r => r.RequestId.Length > 0).ToList();
            return new DeviceListing(pending, Array(root, "paired").Count());
        }
        catch (JsonException)
        {
            throw new BuildException("openclaw devices list --json printed no JSON; run ./build.sh OpenClaw -- devices list to see what it says.");
        }
    }

    static IEnumerable<JsonElement> Array(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
