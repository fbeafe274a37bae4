using BuildEngine;
using CliWrap;

/// <summary>Runs a tool with live output, in a folder, with the build's environment.</summary>
public static class ProcessRunner
{
    public static async Task<(int ExitCode, List<string> Output)> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, bool echo = true)
    {
        var output = new List<string>();
        void Line(string line)
        {
            lock (output) output.Add(line);
            if (echo) Log.Information(line);
        }
        // Resolve on the build's PATH, which tests may point at fakes, not on this process's.
        var result = await Cli.Wrap(Find(program, environment) ?? program)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment.ToDictionary(e => e.Key, e => (string?)e.Value))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Line))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Line))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        return (result.ExitCode, output);
    }

    /// <summary>The full path of <paramref name="program"/> on the PATH of <paramref name="environment"/>, or null.</summary>
    public static string? Find(string program, IReadOnlyDictionary<string, string> environment)
    {
        if (Path.IsPathRooted(program)) return File.Exists(program) ? program : null;
        var path = environment.GetValueOrDefault("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}
