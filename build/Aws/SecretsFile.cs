using System.Security.Cryptography;
using BuildEngine;

/// <summary>The operator's local dotenv file: read and validated, and (asked to) given a generated gateway token, kept 0600.</summary>
public sealed class SecretsFile(string path)
{
    /// <summary>The key OpenClaw's gateway authenticates clients with (docs/operate.md).</summary>
    public const string GatewayTokenKey = "OPENCLAW_GATEWAY_TOKEN";
    public const string GatewayPasswordKey = "OPENCLAW_GATEWAY_PASSWORD";

    public string Path { get; } = path;

    public DotEnv Read()
    {
        if (!File.Exists(Path)) throw new BuildException($"--env-file {Path} does not exist; pass the path of your dotenv file (KEY=VALUE lines).");
        return DotEnv.Parse(File.ReadAllText(Path), Path);
    }

    /// <summary>Group or others may read the file: on a shared machine that is the secrets.</summary>
    public bool ReadableByOthers =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(Path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    /// <summary>
    /// Appends a gateway token of 32 random bytes (64 hex digits) to the file, which is left 0600; the token itself is
    /// never returned or printed: the file is where the operator finds it.
    /// </summary>
    public void AddGatewayToken()
    {
        var text = File.ReadAllText(Path);
        if (text.Length > 0 && !text.EndsWith('\n')) text += "\n";
        text += $"{GatewayTokenKey}={RandomNumberGenerator.GetHexString(64, lowercase: true)}\n";
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        // Created 0600 before the secret goes in, then moved over the original in one step.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream)) writer.Write(text);
            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
