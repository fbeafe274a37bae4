using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>
/// The names and defaults shared with the stack: infra/contract.json, generated from infra/src/contract.ts and embedded
/// in the build. The build names config keys, outputs and tags only through these (a test checks Build.*.cs for bare ones).
/// </summary>
public static class Contract
{
    static readonly ContractDocument Document = Load();

    public static string Project => Document.Project;

    /// <summary>The aws provider's region key (aws:region), outside the project namespace.</summary>
    public static string RegionKey => Document.RegionKey;

    public static ConfigKeys Config => Document.Config;
    public static OutputNames Output => Document.Outputs;
    public static TagNames Tag => Document.Tags;
    public static TagValues TagValue => Document.TagValues;

    /// <summary>The values of config <c>persistence</c> (and of the output of the same name).</summary>
    public static PersistenceModes Persistence => Document.PersistenceModes;

    /// <summary>Outputs a <c>persistence: ephemeral</c> stack does not export: absent, not empty.</summary>
    public static IReadOnlyList<string> AbsentWhenEphemeral => Document.AbsentWhenEphemeral;

    /// <summary>Facts of the instance (the gateway's port), also filled into the boot files.</summary>
    public static InstanceFacts Instance => Document.Instance;

    /// <summary>The stack's default for a config key (as the program applies it when the key is unset).</summary>
    public static string Default(string configKey) =>
        Document.Defaults.TryGetValue(configKey, out var value) ? value : throw new KeyNotFoundException($"infra/contract.json has no default for {configKey}.");

    /// <summary>Every name the contract holds, for the drift test.</summary>
    internal static ContractDocument Loaded => Document;

    internal static ContractDocument Load()
    {
        using var stream = typeof(Contract).Assembly.GetManifestResourceStream("contract.json")
            ?? throw new InvalidOperationException("The build has no embedded contract.json; build/_build.csproj embeds infra/contract.json.");
        return Parse(stream);
    }

    /// <summary>Fails on a missing name: every property below must be in the JSON.</summary>
    internal static ContractDocument Parse(Stream json) =>
        JsonSerializer.Deserialize(json, ContractJsonContext.Default.ContractDocument)
        ?? throw new InvalidOperationException("infra/contract.json is empty; regenerate it with `npm run contract` in infra/.");
}

internal sealed record ContractDocument(
    string Generated, string Project, string RegionKey, ConfigKeys Config, OutputNames Outputs, TagNames Tags, TagValues TagValues,
    PersistenceModes PersistenceModes, List<string> AbsentWhenEphemeral,
    InstanceFacts Instance, Dictionary<string, string> Defaults);

/// <summary>Stack config keys (project namespace).</summary>
public sealed record ConfigKeys(
    string Persistence,
    string AvailabilityZone, string InstanceType, string DataVolumeSnapshotId, string DataVolumeSizeGib, string DataDeviceName, string Ami,
    string SnapshotScheduleIntervalHours, string SnapshotScheduleTime, string SnapshotRetentionDays, string BackupBucketName,
    string BackupIntervalMinutes, string OpenclawImage, string SsmEnvParameter, string LogRetentionDays,
    string DataVolumeRetainOnDestroy, string DataVolumeId,
    // --- move (issue 16) ---
    string AutoApproveDevices, string KmsKey, string DrRegion, string DrRetentionDays);

/// <summary>Stack outputs the runbook reads.</summary>
public sealed record OutputNames(
    string Persistence,
    string InstanceId, string DataVolumeId, string AvailabilityZone, string BackupBucket, string BackupIntervalMinutes, string SsmConnectCommand,
    string SsmEnvParameter, string Region, string Stack, string DlmPolicyId, string LogGroupNames, string DashboardName, string KmsKeyAlias);

/// <summary>The persistence modes: a data volume with snapshots and backups, or the state on the root volume only.</summary>
public sealed record PersistenceModes(string Snapshots, string Ephemeral)
{
    /// <summary>The mode a stack is deployed with (its output); one deployed before the output existed, or not deployed, had snapshots.</summary>
    public string Of(IReadOnlyDictionary<string, string> outputs) =>
        outputs.GetValueOrDefault(Contract.Output.Persistence) is { Length: > 0 } mode ? mode : Snapshots;
}

/// <summary>Tags on the data volume and its snapshots.</summary>
public sealed record TagNames(string Data, string Stack, string Az, string CreatedBy, string RetainedAt, string RetainedFrom,
    // --- move (issue 16) ---
    string MovedFrom);

/// <summary>The fixed values of those tags.</summary>
public sealed record TagValues(string Data, string CreatedByDlm, string CreatedByManualFinal);

/// <summary>Facts of the instance: the port the gateway listens on (cloud-init's {{gateway_port}}).</summary>
public sealed record InstanceFacts(int GatewayPort);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ContractDocument))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;
