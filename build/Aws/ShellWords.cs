/// <summary>
/// Builds a POSIX shell command line whose words reach the program exactly as given: each word single-quoted, an embedded
/// quote written as <c>'\''</c>. Inside single quotes sh expands nothing, so <c>$()</c>, backticks, <c>;</c> stay text.
/// </summary>
public static class ShellWords
{
    public static string Quote(string word) => "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    public static string CommandLine(string program, IEnumerable<string> arguments) =>
        string.Join(" ", arguments.Prepend(program).Select(Quote));
}
