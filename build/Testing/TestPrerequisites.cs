using BuildEngine;

/// <summary>The Debian/Ubuntu packages the boot-script, real-OpenClaw and infra suites need; installed when we may (root or sudo).</summary>
public static class TestPrerequisites
{
    static readonly (string Tool, string Package)[] Required =
    [
        ("node", "nodejs"),
        ("npm", "npm"),
        ("bats", "bats"),
        ("shellcheck", "shellcheck"),
        ("cloud-init", "cloud-init"),
        ("/usr/bin/aws", "awscli"),
        ("mkfs.xfs", "xfsprogs"),
        ("mkfs.ext4", "e2fsprogs"),
        ("sqlite3", "sqlite3"),
        ("systemd-analyze", "systemd"),
        ("losetup", "mount"),
        ("sfdisk", "fdisk"),
        ("python3", "python3"),
        ("jq", "jq"),
        ("curl", "curl"),
        // The real-OpenClaw suite runs the gateway in its own mount and network namespaces as uid 1000.
        ("unshare", "util-linux"),
        ("nsenter", "util-linux"),
        ("setpriv", "util-linux"),
        ("ip", "iproute2"),
    ];

    public static IReadOnlyList<string> MissingPackages(IReadOnlyDictionary<string, string> environment) =>
        Required.Where(r => ProcessRunner.Find(r.Tool, WithSbin(environment)) is null).Select(r => r.Package).Distinct().ToList();

    public static async Task EnsureAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var missing = MissingPackages(environment);
        if (missing.Count == 0) return;
        var install = $"apt-get install -y --no-install-recommends {string.Join(" ", missing)}";
        var sudo = System.Environment.IsPrivilegedProcess ? null : ProcessRunner.Find("sudo", environment);
        if (!System.Environment.IsPrivilegedProcess && sudo is null)
            throw new BuildException($"Test tools are missing; install them with: sudo apt-get update && sudo {install}");

        Log.Information($"Installing test tools: {string.Join(" ", missing)}");
        var prefix = sudo is null ? "" : "sudo -n ";
        var (exitCode, _) = await ProcessRunner.RunAsync("bash", ["-c", $"{prefix}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {prefix}{install}"],
            Directory.GetCurrentDirectory(), environment, cancellationToken, echo: false);
        if (exitCode != 0 || MissingPackages(environment).Count > 0)
            throw new BuildException($"Could not install the test tools; install them with: sudo apt-get update && sudo {install}");
    }

    /// <summary>mkfs.*, losetup and sfdisk live in /usr/sbin, which a non-root PATH may lack.</summary>
    static Dictionary<string, string> WithSbin(IReadOnlyDictionary<string, string> environment) =>
        new(environment) { ["PATH"] = environment.GetValueOrDefault("PATH") + ":/usr/sbin:/sbin" };
}
