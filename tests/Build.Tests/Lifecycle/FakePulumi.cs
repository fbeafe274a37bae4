using Runbook.Tests.Harness;

namespace Runbook.Tests.Lifecycle;

/// <summary>
/// The fake pulumi CLI (FakePulumi/pulumi) on the PATH of a build root that looks like the repository:
/// infra/ with installed node_modules, so the build never runs npm. Scripted answers come from FakePulumi/scenarios/.
/// </summary>
public sealed class FakePulumi : IDisposable
{
    static readonly string Source = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "Build.Tests", "Lifecycle", "FakePulumi");

    readonly TempDirectory _temp = new();

    public FakePulumi(bool installed = true, bool nodeModules = true)
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(State);
        if (installed)
        {
            File.Copy(System.IO.Path.Combine(Source, "pulumi"), System.IO.Path.Combine(Bin, "pulumi"));
            File.SetUnixFileMode(System.IO.Path.Combine(Bin, "pulumi"), (UnixFileMode)0b111_101_101);
        }
        // An npm project without dependencies: `npm ci` works offline in a moment.
        var infra = Directory.CreateDirectory(Root.Combine("infra")).FullName;
        File.WriteAllText(System.IO.Path.Combine(infra, "package.json"), """{ "name": "infra-stub", "version": "1.0.0", "private": true }""");
        File.WriteAllText(System.IO.Path.Combine(infra, "package-lock.json"),
            """{ "name": "infra-stub", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": { "": { "name": "infra-stub", "version": "1.0.0" } } }""");
        File.SetLastWriteTimeUtc(System.IO.Path.Combine(infra, "package-lock.json"), DateTime.UtcNow.AddHours(-1));
        if (!nodeModules) return;
        Directory.CreateDirectory(System.IO.Path.Combine(infra, "node_modules"));
        File.WriteAllText(System.IO.Path.Combine(infra, "node_modules", ".package-lock.json"), "{}");
    }

    /// <summary>The build root (holds .nuke/ and infra/).</summary>
    public TempDirectory Root => _temp;
    string Bin => _temp.Combine("bin");
    public string State => _temp.Combine("pulumi-state");

    /// <summary>What the build runs with: only the fake on PATH (plus bash for its shebang), no AWS, no real home.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["PATH"] = $"{Bin}:/usr/bin:/bin",
        ["HOME"] = _temp.Combine("home"),
        ["FAKE_PULUMI_DIR"] = State,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
        // Deploy pins openclaw_image; the registry it asks is this local fake, never ghcr.io.
        ["OPENCLAW_REGISTRY_URL"] = Registry.Url,
    };

    /// <summary>Serves the default image (infra's default openclaw_image) to every FakePulumi; answers are read-only.</summary>
    public static Fakes.FakeRegistry Registry => SharedRegistry.Value;

    static readonly Lazy<Fakes.FakeRegistry> SharedRegistry = new(() => new Fakes.FakeRegistry().WithImage("openclaw/openclaw", "latest"));

    /// <summary>A stack that exists in the backend, with config (keys as pulumi shows them, e.g. openclaw:availability_zone).</summary>
    public FakePulumi WithStack(string stack, IReadOnlyDictionary<string, string>? config = null, string? outputsScenario = null)
    {
        var configDirectory = Directory.CreateDirectory(System.IO.Path.Combine(State, "stacks", stack, "config")).FullName;
        foreach (var (key, value) in config ?? new Dictionary<string, string>())
            File.WriteAllText(System.IO.Path.Combine(configDirectory, key), value);
        if (outputsScenario is not null)
            File.Copy(Scenario(outputsScenario), System.IO.Path.Combine(State, "stacks", stack, "outputs.json"));
        return this;
    }

    /// <summary>Scripts the answer of <paramref name="command"/> ("preview", "up", "stack-select", ...), for its <paramref name="call"/>-th call or every call.</summary>
    public FakePulumi Answer(string command, string? stdout = null, string? stderr = null, int exitCode = 0, int? call = null)
    {
        var prefix = System.IO.Path.Combine(State, call is null ? command : $"{command}.{call}");
        File.WriteAllText(prefix + ".out", stdout ?? "");
        if (stderr is not null) File.WriteAllText(prefix + ".err", stderr);
        File.WriteAllText(prefix + ".exit", exitCode.ToString());
        return this;
    }

    public FakePulumi AnswerWithScenario(string command, string scenario, int exitCode = 0, int? call = null) =>
        Answer(command, File.ReadAllText(Scenario(scenario)), null, exitCode, call);

    /// <summary>After a successful up, the stack outputs are outputs.json's with the instance replaced by <paramref name="instanceId"/>.</summary>
    public FakePulumi InstanceAfterUp(string instanceId)
    {
        var outputs = File.ReadAllText(Scenario("outputs.json")).Replace("i-0e5c06a420bec257c", instanceId);
        File.WriteAllText(System.IO.Path.Combine(State, "up.outputs.json"), outputs);
        return this;
    }

    public FakePulumi Version(string text)
    {
        File.WriteAllText(System.IO.Path.Combine(State, "version"), text + "\n");
        return this;
    }

    public static string Scenario(string name) => System.IO.Path.Combine(Source, "scenarios", name);

    /// <summary>Every call as typed on a command line: "preview --json --stack dev --non-interactive".</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(System.IO.Path.Combine(State, "calls.log"))
            ? File.ReadAllLines(System.IO.Path.Combine(State, "calls.log")).Select(line => line.Replace('\t', ' ')).ToList()
            : [];

    public IReadOnlyList<string> WorkingDirectories =>
        File.Exists(System.IO.Path.Combine(State, "calls.cwd")) ? File.ReadAllLines(System.IO.Path.Combine(State, "calls.cwd")) : [];

    public string? Config(string stack, string key)
    {
        var path = System.IO.Path.Combine(State, "stacks", stack, "config", key);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public bool IsSecret(string stack, string key) => File.Exists(System.IO.Path.Combine(State, "stacks", stack, "config", key + ".secret"));

    public bool StackExists(string stack) => Directory.Exists(System.IO.Path.Combine(State, "stacks", stack));

    /// <summary>Runs the runbook in the fake's root with its environment.</summary>
    public BuildRun Run(params string[] args) => BuildRun.Of(new global::Build(), Root.Path, Environment, new JumpingTime(), default, args);

    /// <summary>Runs the runbook with the fake pulumi and the fake AWS endpoint (its credentials, region and URL).</summary>
    public BuildRun RunWith(Fakes.FakeAws aws, params string[] args) => RunWith(aws, default, args);

    /// <summary>As <see cref="RunWith(Fakes.FakeAws, string[])"/>; cancelling <paramref name="cancellation"/> is Ctrl+C.</summary>
    public BuildRun RunWith(Fakes.FakeAws aws, CancellationToken cancellation, params string[] args) =>
        BuildRun.Of(new global::Build(), Root.Path, EnvironmentWith(aws), new JumpingTime(), cancellation, args);

    /// <summary>This fake's environment plus the fake AWS endpoint's (its credentials, region and URL).</summary>
    public Dictionary<string, string> EnvironmentWith(Fakes.FakeAws aws)
    {
        var environment = Environment;
        foreach (var (name, value) in aws.Environment) environment[name] = value;
        return environment;
    }

    public void Dispose() => _temp.Dispose();
}
