using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Runbook.Tests.Fakes;

/// <summary>
/// SSM's JSON 1.1 calls that read or change things: PutParameter, GetParameter, SendCommand (AWS-RunShellScript) and
/// GetCommandInvocation, which answers InvocationDoesNotExist first (as AWS does right after SendCommand), then InProgress,
/// then how <see cref="RunCommand"/> says the command ended.
/// </summary>
public sealed partial class FakeAws
{
    readonly Dictionary<string, (FakeSentCommand Sent, FakeCommandResult Result, int Polls, DateTime Started)> _invocations = new();

    /// <summary>Every command sent, in order.</summary>
    public List<FakeSentCommand> SentCommands { get; } = [];

    /// <summary>What the instance does with a sent command (default: succeeds, prints nothing).</summary>
    public Func<FakeSentCommand, FakeCommandResult> RunCommand { get; set; } = _ => new FakeCommandResult(0);

    /// <summary>When commands start on the fake instance (the docs pin it); each takes <see cref="CommandDuration"/>.</summary>
    public Func<DateTime> CommandClock { get; set; } = () => DateTime.UtcNow;
    public TimeSpan CommandDuration { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>GetCommandInvocation answers InProgress this many times before the end.</summary>
    public int InProgressPolls { get; set; } = 1;

    FakeAnswer AnswerSsmWrites(string action, JsonNode request)
    {
        switch (action)
        {
            case "PutParameter":
            {
                var name = (string)request["Name"]!;
                var value = (string)request["Value"]!;
                var tier = (string?)request["Tier"] ?? "Standard";
                if (tier == "Standard" && value.Length > 4096)
                    return JsonError(HttpStatusCode.BadRequest, "ValidationException",
                        "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
                var existing = Parameters.FirstOrDefault(p => p.Name == name);
                if (existing is not null && request["Overwrite"]?.GetValue<bool>() != true)
                    return JsonError(HttpStatusCode.BadRequest, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
                var version = (existing?.Version ?? 0) + 1;
                if (existing is not null) Parameters.Remove(existing);
                Parameters.Add(new FakeParameter(name, (string?)request["Type"] ?? "String", version, DateTime.UtcNow, value, (string?)request["KeyId"], tier));
                return Json(new JsonObject { ["Version"] = version, ["Tier"] = tier });
            }
            case "GetParameter":
            {
                var name = (string)request["Name"]!;
                if (Parameters.FirstOrDefault(p => p.Name == name) is not { } parameter)
                    return JsonError(HttpStatusCode.BadRequest, "ParameterNotFound", "");
                var decrypted = request["WithDecryption"]?.GetValue<bool>() == true || parameter.Type != "SecureString";
                return Json(new JsonObject
                {
                    ["Parameter"] = new JsonObject
                    {
                        ["Name"] = name, ["Type"] = parameter.Type, ["Value"] = decrypted ? parameter.Value : "AQICAHh-encrypted-blob", ["Version"] = parameter.Version,
                        ["LastModifiedDate"] = Epoch(parameter.Modified ?? DateTime.UtcNow), ["ARN"] = $"arn:aws:ssm:{Region}:{Account}:parameter{name}", ["DataType"] = "text",
                    },
                });
            }
            case "SendCommand":
            {
                var instanceIds = request["InstanceIds"]!.AsArray().Select(i => (string)i!).ToList();
                if (instanceIds.Any(id => SsmAgents.GetValueOrDefault(id) != "Online"))
                    return JsonError(HttpStatusCode.BadRequest, "InvalidInstanceId", "Instances [[" + string.Join(", ", instanceIds) + "]] not in a valid state for account " + Account);
                var parameters = request["Parameters"]!.AsObject();
                var sent = new FakeSentCommand(Guid.NewGuid().ToString(), instanceIds.Single(), (string)request["DocumentName"]!,
                    parameters["commands"]!.AsArray().Select(c => (string)c!).ToList(), (string?)request["Comment"] ?? "",
                    parameters["executionTimeout"]?.AsArray().Select(c => (string)c!).SingleOrDefault());
                SentCommands.Add(sent);
                _invocations[sent.CommandId] = (sent, RunCommand(sent), 0, CommandClock());
                return Json(new JsonObject
                {
                    ["Command"] = new JsonObject
                    {
                        ["CommandId"] = sent.CommandId, ["DocumentName"] = sent.DocumentName, ["DocumentVersion"] = "$DEFAULT", ["Comment"] = sent.Comment,
                        ["ExpiresAfter"] = Epoch(DateTime.UtcNow.AddHours(1)), ["Parameters"] = parameters.DeepClone(), ["InstanceIds"] = new JsonArray(instanceIds.Select(i => (JsonNode)i).ToArray()),
                        ["Targets"] = new JsonArray(), ["RequestedDateTime"] = Epoch(DateTime.UtcNow), ["Status"] = "Pending", ["StatusDetails"] = "Pending",
                        ["MaxConcurrency"] = "50", ["MaxErrors"] = "0", ["TargetCount"] = 1, ["CompletedCount"] = 0, ["ErrorCount"] = 0, ["DeliveryTimedOutCount"] = 0,
                        ["TimeoutSeconds"] = 3600,
                        ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = "", ["CloudWatchOutputEnabled"] = false },
                    },
                });
            }
            case "GetCommandInvocation":
            {
                var commandId = (string)request["CommandId"]!;
                if (!_invocations.TryGetValue(commandId, out var invocation) || invocation.Sent.InstanceId != (string?)request["InstanceId"])
                    return JsonError(HttpStatusCode.BadRequest, "InvocationDoesNotExist", "");
                _invocations[commandId] = invocation with { Polls = invocation.Polls + 1 };
                // Right after SendCommand AWS has not recorded the invocation yet.
                if (invocation.Polls == 0) return JsonError(HttpStatusCode.BadRequest, "InvocationDoesNotExist", "");
                var done = invocation.Polls > InProgressPolls;
                var result = invocation.Result;
                var status = !done ? "InProgress" : result.Status ?? (result.ExitCode == 0 ? "Success" : "Failed");
                return Json(new JsonObject
                {
                    ["CommandId"] = commandId, ["InstanceId"] = invocation.Sent.InstanceId, ["Comment"] = invocation.Sent.Comment,
                    ["DocumentName"] = invocation.Sent.DocumentName, ["DocumentVersion"] = "$DEFAULT", ["PluginName"] = "aws:runShellScript",
                    ["ResponseCode"] = done && status is "Success" or "Failed" ? result.ExitCode : -1,
                    ["ExecutionStartDateTime"] = IsoTime(invocation.Started), ["ExecutionElapsedTime"] = done ? System.Xml.XmlConvert.ToString(CommandDuration) : "",
                    ["ExecutionEndDateTime"] = done ? IsoTime(invocation.Started + CommandDuration) : "",
                    ["Status"] = status, ["StatusDetails"] = status == "TimedOut" ? "ExecutionTimedOut" : status,
                    ["StandardOutputContent"] = done ? result.Output : "", ["StandardOutputUrl"] = "",
                    ["StandardErrorContent"] = done ? result.Error : "", ["StandardErrorUrl"] = "",
                    ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = "", ["CloudWatchOutputEnabled"] = false },
                });
            }
            default:
                return JsonError(HttpStatusCode.BadRequest, "InvalidAction", $"{action} is not served by this fake");
        }
    }

    static FakeAnswer Json(JsonObject answer) => new(HttpStatusCode.OK, "application/x-amz-json-1.1", answer.ToJsonString());

    /// <summary>A JSON 1.1 error as SSM and CloudWatch Logs send it: <c>__type</c> and <c>message</c>.</summary>
    static FakeAnswer JsonError(HttpStatusCode status, string code, string message) =>
        new(status, "application/x-amz-json-1.1", new JsonObject { ["__type"] = code, ["message"] = message }.ToJsonString());

    static double Epoch(DateTime time) => (time.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;

    static string IsoTime(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
