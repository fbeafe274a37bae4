using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Docs;

/// <summary>
/// docs/configuration.md's table of stack config keys says what infra/contract.json (from infra/src/contract.ts) says:
/// one row per config key, and each default the contract holds is the one the row shows.
/// </summary>
public partial class ConfigurationDocsTests
{
    static readonly JsonNode ContractJson = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "contract.json")))!;

    /// <summary>The rows of the "Stack config keys" table: key → default cell.</summary>
    static Dictionary<string, string> DocumentedKeys()
    {
        var page = File.ReadAllText(Path.Combine(DocsFolder.Path, "configuration.md"));
        var section = page[page.IndexOf("## Stack config keys", StringComparison.Ordinal)..];
        var next = section.IndexOf("\n## ", 1, StringComparison.Ordinal);
        if (next > 0) section = section[..next];
        return KeyRow().Matches(section).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["default"].Value.Trim());
    }

    [Fact]
    public void The_table_lists_every_config_key_of_the_contract_and_no_other()
    {
        var keys = ContractJson["config"]!.AsObject().Select(p => p.Value!.GetValue<string>()).Append(ContractJson["regionKey"]!.GetValue<string>());

        Assert.Equal(keys.Order(), DocumentedKeys().Keys.Order());
    }

    [Fact]
    public void Each_default_is_the_contracts()
    {
        var documented = DocumentedKeys();
        var defaults = ContractJson["defaults"]!.AsObject().Select(p => (Key: p.Key, Value: p.Value!.GetValue<string>())).ToList();
        Assert.NotEmpty(defaults);

        Assert.All(defaults, d =>
        {
            // The contract writes a stack placeholder as {stack}; the docs as <stack>.
            var value = d.Value.Replace("{stack}", "<stack>");
            var cell = documented[d.Key];
            Assert.True(cell == $"`{value}`" || cell.StartsWith($"`{value}` ", StringComparison.Ordinal) || cell.StartsWith($"{value},", StringComparison.Ordinal)
                        || cell.StartsWith($"{value} ", StringComparison.Ordinal) || cell == value,
                $"docs/configuration.md shows the default of {d.Key} as {cell}; infra/contract.json says {d.Value}.");
        });
    }

    [GeneratedRegex(@"^\| `(?<key>[a-z_:]+)` \| (?<default>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex KeyRow();
}
