using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Runbook.Tests.Fakes;

/// <summary>CloudWatch Logs' FilterLogEvents (JSON 1.1): events of one group from startTime on, <see cref="PageSize"/> a page with nextToken.</summary>
public sealed partial class FakeAws
{
    /// <summary>The log groups that exist, and their events.</summary>
    public HashSet<string> LogGroups { get; } = [];
    public List<FakeLogEvent> LogEvents { get; } = [];

    public FakeAws WithLogEvent(string group, DateTime time, string message, string stream = "i-0e5c06a420bec257c")
    {
        lock (_lock)
        {
            LogGroups.Add(group);
            LogEvents.Add(new FakeLogEvent(group, stream, time, message));
        }
        return this;
    }

    FakeAnswer AnswerLogs(string action, string body)
    {
        var request = JsonNode.Parse(body)!;
        if (action == "DescribeLogGroups") return DescribeLogGroups(request);
        if (action != "FilterLogEvents") return JsonError(HttpStatusCode.BadRequest, "UnknownOperationException", $"{action} is not served by this fake");
        var group = (string)request["logGroupName"]!;
        lock (_lock)
        {
            if (!LogGroups.Contains(group)) return JsonError(HttpStatusCode.BadRequest, "ResourceNotFoundException", "The specified log group does not exist.");
            var start = request["startTime"]?.GetValue<long>() ?? 0;
            var end = request["endTime"]?.GetValue<long>() ?? long.MaxValue;
            var offset = request["nextToken"] is { } token ? int.Parse(((string)token!)["token-".Length..], CultureInfo.InvariantCulture) : 0;
            var matching = LogEvents.Where(e => e.Group == group && Milliseconds(e.Time) >= start && Milliseconds(e.Time) <= end).OrderBy(e => e.Time).ToList();
            var page = matching.Skip(offset).Take(PageSize).ToList();
            var answer = new JsonObject
            {
                ["events"] = new JsonArray(page.Select(e => (JsonNode)new JsonObject
                {
                    ["logStreamName"] = e.Stream, ["timestamp"] = Milliseconds(e.Time), ["message"] = e.Message,
                    ["ingestionTime"] = Milliseconds(e.Time) + 800, ["eventId"] = e.EventId,
                }).ToArray()),
                ["searchedLogStreams"] = new JsonArray(),
            };
            if (offset + page.Count < matching.Count) answer["nextToken"] = $"token-{offset + page.Count}";
            return Json(answer);
        }
    }

    static long Milliseconds(DateTime time) => (long)(time.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;
}
