using System.Text.Json;
using BuildEngine;

/// <summary>
/// One stack of the infra/ project through the pulumi CLI: its config and outputs (<see cref="IStackState"/>)
/// and the operations the lifecycle targets run on it. <paramref name="stackOption"/> is the parameter that named the
/// stack (--stack, --platform-stack), for the error when the name is invalid.
/// </summary>
public sealed class PulumiStack(PulumiCli cli, string stack, string project = PulumiStack.Project, string stackOption = "--stack") : IStackState
{
    public const string Project = "openclaw";

    bool _selected;

    public string Name { get; } = StackName.Require(stack, stackOption);

    string[] StackOptions => ["--stack", stack, "--non-interactive"];

    string FullKey(string key) => key.Contains(':') ? key : $"{project}:{key}";

    /// <summary><c>pulumi stack select --create</c>: the stack exists (and is selected) afterwards.</summary>
    public async Task CreateOrSelectAsync()
    {
        if (_selected) return;
        Expect(await cli.RunAsync(["stack", "select", .. StackOptions, "--create"]));
        _selected = true;
    }

    /// <summary><c>pulumi stack select</c>: fails with a clear sentence when the stack does not exist.</summary>
    public async Task SelectAsync()
    {
        if (_selected) return;
        Expect(await cli.RunAsync(["stack", "select", .. StackOptions]));
        _selected = true;
    }

    public async Task<string?> GetConfigAsync(string key, CancellationToken cancellationToken = default)
    {
        var result = await cli.RunAsync(["config", "get", FullKey(key), .. StackOptions], cancellationToken: cancellationToken);
        if (result.Succeeded) return result.StandardOutput.TrimEnd('\r', '\n');
        // A stack not created yet has no config either (ConfigureAz reads before the first Deploy creates it).
        if (PulumiErrors.IsMissingStack(result) || result.Output.Contains("not found for stack", StringComparison.Ordinal)) return null;
        throw PulumiErrors.Explain(result, stack);
    }

    public async Task SetConfigAsync(string key, string value, bool secret = false, CancellationToken cancellationToken = default)
    {
        await CreateOrSelectAsync();
        // "--" so that a value starting with a dash is not read as an option (as the Automation API does).
        Expect(await cli.RunAsync(["config", "set", FullKey(key), .. StackOptions, secret ? "--secret" : "--plaintext", "--", value],
            secret: secret ? value : null, cancellationToken: cancellationToken));
    }

    public async Task RemoveConfigAsync(string key, CancellationToken cancellationToken = default)
    {
        await CreateOrSelectAsync();
        var result = await cli.RunAsync(["config", "rm", FullKey(key), .. StackOptions], cancellationToken: cancellationToken);
        if (!result.Succeeded && !result.Output.Contains("not found", StringComparison.Ordinal)) throw PulumiErrors.Explain(result, stack);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetOutputsAsync(CancellationToken cancellationToken = default)
    {
        var result = await cli.RunAsync(["stack", "output", "--json", .. StackOptions], cancellationToken: cancellationToken);
        if (PulumiErrors.IsMissingStack(result)) return new Dictionary<string, string>();
        Expect(result);
        using var document = ParseJson(result, "stack output --json");
        return document.RootElement.ValueKind != JsonValueKind.Object
            ? new Dictionary<string, string>()
            : document.RootElement.EnumerateObject().ToDictionary(
                p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    /// <summary><c>pulumi preview --json</c>, parsed; errors in it are the caller's to report.</summary>
    public async Task<PreviewResult> PreviewAsync()
    {
        var result = await cli.RunAsync(["preview", "--json", .. StackOptions]);
        try
        {
            return PreviewResult.Parse(result.StandardOutput);
        }
        catch (JsonException)
        {
            throw PulumiErrors.Explain(result, stack);
        }
    }

    /// <summary><c>pulumi up --yes --skip-preview</c> with live output; the result says whether it worked.</summary>
    public Task<PulumiResult> UpAsync() => cli.RunAsync(["up", "--yes", "--skip-preview", .. StackOptions], live: true);

    public async Task RefreshAsync() => Expect(await cli.RunAsync(["refresh", "--yes", .. StackOptions], live: true));

    public async Task DestroyAsync() => Expect(await cli.RunAsync(["destroy", "--yes", .. StackOptions], live: true));

    void Expect(PulumiResult result)
    {
        if (!result.Succeeded) throw PulumiErrors.Explain(result, stack);
    }

    JsonDocument ParseJson(PulumiResult result, string command)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException)
        {
            throw new BuildException($"pulumi {command} printed no JSON for stack '{stack}' (pulumi too old, or a plugin wrote to stdout?).");
        }
    }
}
