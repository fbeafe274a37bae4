using System.Collections.Specialized;

namespace Runbook.Tests.Fakes;

/// <summary>One request the fake AWS endpoint received: service, action (EC2/STS Query action, or METHOD path), parameters, timing, body.</summary>
public sealed record FakeAwsRequest(string Service, string Action, string Method, string PathAndQuery, NameValueCollection Parameters,
    string? Authorization, DateTime Started, DateTime Finished, string Body = "")
{
    public string? this[string name] => Parameters[name];

    /// <summary>The region the request was signed for (its credential scope).</summary>
    public string? Region => SigningRegion(Authorization);

    /// <summary>The region of a SigV4 Authorization header: <c>Credential=KEY/date/region/service/aws4_request</c>.</summary>
    public static string? SigningRegion(string? authorization)
    {
        var at = authorization?.IndexOf("Credential=", StringComparison.Ordinal) ?? -1;
        if (at < 0) return null;
        var scope = authorization![(at + "Credential=".Length)..].Split(',')[0].Split('/');
        return scope.Length >= 3 ? scope[2] : null;
    }

    /// <summary>Values of a numbered list parameter: <c>InstanceType.1</c>, <c>InstanceType.2</c>, ...</summary>
    public List<string> List(string name)
    {
        var values = new List<string>();
        for (var i = 1; Parameters[$"{name}.{i}"] is { } value; i++) values.Add(value);
        return values;
    }

    /// <summary>The EC2 filters: <c>Filter.N.Name</c> with <c>Filter.N.Value.M</c>.</summary>
    public Dictionary<string, List<string>> Filters()
    {
        var filters = new Dictionary<string, List<string>>();
        for (var i = 1; Parameters[$"Filter.{i}.Name"] is { } name; i++) filters[name] = List($"Filter.{i}.Value");
        return filters;
    }

    /// <summary>The request as a test compares it: action plus its parameters sorted, without Action/Version.</summary>
    public string Text => Action + " " + string.Join(" ", Parameters.AllKeys.Where(k => k is not ("Action" or "Version"))
        .OrderBy(k => k, StringComparer.Ordinal).Select(k => $"{k}={Parameters[k]}"));
}
