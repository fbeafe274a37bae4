using BuildEngine;
using Spectre.Console;

/// <summary>
/// How a step asks before it acts: --yes answers; without a terminal to ask on, the step fails saying to pass --yes,
/// before it changes anything; otherwise the operator answers.
/// </summary>
sealed class Confirmation(IAnsiConsole console, bool yes)
{
    /// <summary>A yes/no question (default no); true when --yes or answered yes.</summary>
    public bool Ask(string question, string noTerminal)
    {
        if (yes) return true;
        if (!console.Profile.Capabilities.Interactive) throw new BuildException(noTerminal);
        return console.Confirm(question, defaultValue: false);
    }

    /// <summary>A yes/no question <paramref name="target"/> cannot go on without: answered no, it stops, having changed nothing.</summary>
    public void Require(string question, string target)
    {
        if (!Ask(question, $"{target} asks before it acts and there is no terminal to ask on: pass --yes."))
            throw new BuildException($"Not confirmed; {target} changed nothing.");
    }

    /// <summary>The operator types <paramref name="expected"/> back (a stack name, a volume id); anything else stops the step.</summary>
    public void TypeBack(string prompt, string expected, string noTerminal, Func<string, string> refused)
    {
        if (yes) return;
        if (!console.Profile.Capabilities.Interactive) throw new BuildException(noTerminal);
        var typed = console.Prompt(new TextPrompt<string>(prompt).AllowEmpty()).Trim();
        if (typed != expected) throw new BuildException(refused(typed));
    }
}
