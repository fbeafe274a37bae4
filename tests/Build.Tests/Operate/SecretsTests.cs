using Runbook.Tests.Harness;
using Runbook.Tests.Fakes;
using Runbook.Tests.Lifecycle;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>Secrets: a validated dotenv into the stack's SecureString parameter; no value ever printed.</summary>
public class SecretsTests : OperateTestBed
{
    const string Token = "tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    const string ApiKey = "sk-ant-LEAKCANARY-0123456789abcdef";
    const string Valid = $"# OpenClaw secrets\nOPENCLAW_GATEWAY_TOKEN={Token}\n\nexport ANTHROPIC_API_KEY=\"{ApiKey}\"\nTELEGRAM_BOT_TOKEN='12345:tg-secret'\n";

    [Fact]
    public void A_valid_file_is_stored_as_a_SecureString_with_key_names_only_shown()
    {
        var file = EnvFile(Valid);

        var run = Run("Secrets", "--env-file", file);

        Assert.True(run.ExitCode == 0, run.Output);
        var parameter = Assert.Single(Aws.Parameters);
        Assert.Equal((Parameter, "SecureString", "Standard", KmsKeyAlias), (parameter.Name, parameter.Type, parameter.Tier, parameter.KeyId));
        Assert.Equal(Valid, parameter.Value);
        Assert.Contains($"Stored 3 keys ({Valid.Length} bytes) from {file} as SecureString version 1 of the secrets parameter (Standard tier, KMS key alias/openclaw-dev): " +
                        "OPENCLAW_GATEWAY_TOKEN, ANTHROPIC_API_KEY, TELEGRAM_BOT_TOKEN.", run.Output);
        Assert.Contains("./build.sh Secrets --stack dev --restart restarts it now.", run.Output);
        Assert.Equal(Valid, File.ReadAllText(file));
        NoValueIn(run.Output);
    }

    [Fact]
    public void The_stack_output_names_the_parameter_and_a_KMS_key_and_tier_are_passed_on()
    {
        Stack.WithOutput("ssm_env_parameter", "/team/openclaw/env");
        Aws.Parameters.Add(new FakeParameter("/team/openclaw/env", Version: 4, Value: "OLD=1\n"));

        var run = Run("Secrets", "--env-file", EnvFile(Valid), "--kms-key", "alias/openclaw", "--parameter-tier", "Advanced");

        Assert.True(run.ExitCode == 0, run.Output);
        var parameter = Assert.Single(Aws.Parameters);
        Assert.Equal(("/team/openclaw/env", 5L, "alias/openclaw", "Advanced"), (parameter.Name, parameter.Version, parameter.KeyId, parameter.Tier));
    }

    [Fact]
    public void The_stack_key_is_the_default_and_kms_key_overrides_it_as_DescribeParameters_shows()
    {
        var file = EnvFile(Valid);

        var byDefault = Run("Secrets", "--env-file", file);
        var stackKey = DescribedKeyId();
        var overridden = Run("Secrets", "--env-file", file, "--kms-key", "arn:aws:kms:me-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

        Assert.True(byDefault.ExitCode == 0, byDefault.Output);
        Assert.Equal(KmsKeyAlias, stackKey);
        Assert.True(overridden.ExitCode == 0, overridden.Output);
        Assert.Equal("arn:aws:kms:me-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", DescribedKeyId());
        Assert.Equal([KmsKeyAlias, "arn:aws:kms:me-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
            Aws.Requests.Where(r => r.Action == "PutParameter").Select(r => (string?)System.Text.Json.Nodes.JsonNode.Parse(r.Body!)!["KeyId"]));
    }

    [Fact]
    public void Before_the_first_Deploy_there_is_no_stack_key_yet_so_the_account_key_serves_and_it_says_to_run_again()
    {
        Stack.Outputs.Clear();

        var run = Run("Secrets", "--env-file", EnvFile(Valid));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Null(Assert.Single(Aws.Parameters).KeyId);
        Assert.Contains("secrets parameter (Standard tier, KMS key alias/aws/ssm)", run.Output);
        Assert.Contains("Stack dev has no key yet (no kms_key_alias output): after ./build.sh Deploy --stack dev, run this again to encrypt the secrets with the stack's key.", run.Output);
    }

    /// <summary>The parameter's KeyId as DescribeParameters (what Doctor and the console read) answers it.</summary>
    string? DescribedKeyId()
    {
        using var ssm = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(new Amazon.Runtime.BasicAWSCredentials("AKIDFAKE", "fake-secret"),
            new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig { ServiceURL = Aws.Url, AuthenticationRegion = FakeAws.Region });
        return ssm.DescribeParametersAsync(new Amazon.SimpleSystemsManagement.Model.DescribeParametersRequest()).GetAwaiter().GetResult().Parameters.Single().KeyId;
    }

    [Fact]
    public void Before_the_first_Deploy_the_config_names_the_parameter_or_the_default_does()
    {
        Stack.Outputs.Clear();
        var file = EnvFile(Valid);

        Assert.Equal(0, Run("Secrets", "--env-file", file).ExitCode);
        Stack.WithConfig("ssm_env_parameter", "/team/openclaw/env");
        Assert.Equal(0, Run("Secrets", "--env-file", file).ExitCode);

        Assert.Equal(["/openclaw/dev/env", "/team/openclaw/env"], Aws.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData("A=1\nsk-ant-LEAKCANARY-0123456789abcdef\n", "line 2 is not KEY=VALUE")]
    [InlineData("A=1\n1BAD=sk-ant-LEAKCANARY-0123456789abcdef\n", "line 2 has no valid name before = (letters, digits and _, not starting with a digit, no spaces)")]
    [InlineData("A=1\nAPI_KEY = sk-ant-LEAKCANARY-0123456789abcdef\n", "line 2 has no valid name before = (letters, digits and _, not starting with a digit, no spaces)")]
    [InlineData("A=\"sk-ant-LEAKCANARY-0123456789abcdef\n", "A (line 1) opens a \" quote that does not close at the end of the line")]
    [InlineData("A=sk-ant-LEAKCANARY-0123456789abcdef\n# again\nA=other\n", "A is set twice (lines 1 and 3)")]
    [InlineData("A=sk-ant-LEAKCANARY-0123456789abcdef\nB=\nC=\"\"\n", "B (line 2) has an empty value; C (line 3) has an empty value")]
    [InlineData("# nothing yet\n\n", "it has no KEY=VALUE line")]
    public void A_bad_dotenv_is_one_error_naming_lines_and_keys_and_nothing_is_written(string text, string problem)
    {
        var file = EnvFile(text);

        var run = Run("Secrets", "--env-file", file, "--verbosity", "Verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {file} is not a valid dotenv file, so nothing was written: {problem}.", run.Output);
        Assert.Empty(Aws.Mutating);
        NoValueIn(run.Output);
    }

    [Theory]
    [InlineData("Standard", 4097, "over the Standard parameter limit of 4096 bytes, so nothing was written; shorten it, or pass --parameter-tier Advanced")]
    [InlineData("Advanced", 8193, "over the Advanced parameter limit of 8192 bytes, so nothing was written; shorten it.")]
    public void A_file_over_the_tier_limit_is_refused_before_AWS(string tier, int bytes, string refusal)
    {
        var head = $"OPENCLAW_GATEWAY_TOKEN={Token}\nBIG=";
        var file = EnvFile(head + new string('x', bytes - head.Length - 1) + "\n");

        var run = Run("Secrets", "--env-file", file, "--parameter-tier", tier);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: The dotenv is {bytes} bytes, {refusal}", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void A_gateway_password_instead_of_a_token_is_enough()
    {
        var run = Run("Secrets", "--env-file", EnvFile($"OPENCLAW_GATEWAY_PASSWORD={ApiKey}\n"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal($"OPENCLAW_GATEWAY_PASSWORD={ApiKey}\n", Aws.Parameters.Single().Value);
        NoValueIn(run.Output);
    }

    [Fact]
    public void Without_a_token_and_without_a_terminal_it_asks_for_yes_and_writes_nothing()
    {
        var file = EnvFile($"ANTHROPIC_API_KEY={ApiKey}\n");

        var run = Run("Secrets", "--env-file", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {file} has no OPENCLAW_GATEWAY_TOKEN (nor OPENCLAW_GATEWAY_PASSWORD), without which the gateway does not start; add it, or pass --yes to generate a strong one into the file (nothing was written).", run.Output);
        Assert.Equal($"ANTHROPIC_API_KEY={ApiKey}\n", File.ReadAllText(file));
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void With_yes_a_strong_token_goes_into_the_file_kept_0600_and_is_never_shown()
    {
        var file = EnvFile($"ANTHROPIC_API_KEY={ApiKey}");

        var run = Run("Secrets", "--env-file", file, "--yes", "--verbosity", "Verbose");

        Assert.True(run.ExitCode == 0, run.Output);
        var lines = File.ReadAllLines(file);
        Assert.Equal($"ANTHROPIC_API_KEY={ApiKey}", lines[0]);
        Assert.Matches("^OPENCLAW_GATEWAY_TOKEN=[0-9a-f]{64}$", lines[1]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(File.ReadAllText(file), Aws.Parameters.Single().Value);
        Assert.DoesNotContain(lines[1]["OPENCLAW_GATEWAY_TOKEN=".Length..], run.Output);
        Assert.Contains($"Generated OPENCLAW_GATEWAY_TOKEN (32 random bytes) into {file}, mode 0600", run.Output);
        NoValueIn(run.Output);
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("n", false)]
    public void At_a_terminal_it_offers_the_token(string answer, bool generated)
    {
        var file = EnvFile($"ANTHROPIC_API_KEY={ApiKey}\n");
        var console = PlainConsole.Typing(answer);

        var (exitCode, _) = RunOn(console, CancellationToken.None, _ => { }, "Secrets", "--env-file", file);

        Assert.True(exitCode == 0, console.Output);
        Assert.Contains("has no OPENCLAW_GATEWAY_TOKEN (nor OPENCLAW_GATEWAY_PASSWORD), without which the gateway does not start. Generate a strong one", console.Output);
        Assert.Equal(generated, File.ReadAllText(file).Contains("OPENCLAW_GATEWAY_TOKEN="));
        Assert.Equal(File.ReadAllText(file), Aws.Parameters.Single().Value);
        if (!generated) Assert.Contains("storing the file without it", console.Output);
        NoValueIn(console.Output);
    }

    [Fact]
    public void An_error_from_AWS_that_quotes_the_value_is_redacted_even_at_Verbose()
    {
        Aws.Fail("PutParameter", "ValidationException", $"1 validation error detected: Value '{Valid.TrimEnd()}' at 'value' failed to satisfy constraint; also '{ApiKey}'");

        var run = Run("Secrets", "--env-file", EnvFile(Valid), "--verbosity", "Verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: AWS ssm:PutParameter {Parameter} failed: ValidationException: 1 validation error detected: Value '*****' at 'value'", run.Output);
        NoValueIn(run.Output);
    }

    [Fact]
    public void Keys_lists_the_stored_names_never_the_values()
    {
        Aws.Parameters.Add(new FakeParameter(Parameter, Value: Valid));

        var run = Run("Secrets", "--keys", "--verbosity", "Verbose");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("The secrets parameter holds 3 keys (values not shown):\n  OPENCLAW_GATEWAY_TOKEN\n  ANTHROPIC_API_KEY\n  TELEGRAM_BOT_TOKEN\n", run.Output);
        Assert.Empty(Aws.Mutating);
        NoValueIn(run.Output);
    }

    [Fact]
    public void Keys_without_a_parameter_says_how_to_store_one()
    {
        var run = Run("Secrets", "--keys");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev has no secrets parameter yet; store one with ./build.sh Secrets --stack dev --env-file .env.", run.Output);
    }

    [Fact]
    public void The_stack_region_output_wins_over_AWS_REGION_for_the_parameter_and_the_restart()
    {
        Environment["AWS_REGION"] = "eu-central-1";

        var run = Run("Secrets", "--env-file", EnvFile(Valid), "--restart");

        Assert.True(run.ExitCode == 0, run.Output);
        var calls = Aws.Requests.Where(r => r.Action is "PutParameter" or "SendCommand" or "DescribeInstanceInformation").ToList();
        Assert.Equal(["DescribeInstanceInformation", "PutParameter", "SendCommand"], calls.Select(r => r.Action));
        Assert.All(calls, r => Assert.Contains($"/{FakeAws.Region}/ssm/aws4_request", r.Authorization));
        Assert.DoesNotContain(Aws.Requests, r => r.Authorization?.Contains("/eu-central-1/") == true);
    }

    [Fact]
    public void Restart_restarts_the_gateway_after_writing()
    {
        var run = Run("Secrets", "--env-file", EnvFile(Valid), "--restart");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["PutParameter", "SendCommand"], Aws.Mutating.Select(r => r.Action));
        Assert.Equal("systemctl restart openclaw.service\nsystemctl is-active openclaw.service", Assert.Single(SentScripts));
        Assert.Contains($"Restarted openclaw.service on {InstanceId}: the gateway runs with the new secrets.", run.Output);
    }

    [Fact]
    public void Restart_on_a_stopped_instance_writes_nothing()
    {
        InstanceIs("stopped");

        var run = Run("Secrets", "--env-file", EnvFile(Valid), "--restart");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Instance {InstanceId} of stack dev is stopped", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Without_a_file_it_says_what_to_pass()
    {
        var run = Run("Secrets");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Secrets needs a file: ./build.sh Secrets --stack dev --env-file .env (or --keys to list what is stored, --restart to restart the gateway).", run.Output);
    }

    static void NoValueIn(string output)
    {
        foreach (var value in new[] { Token, ApiKey, "12345:tg-secret", "LEAKCANARY" }) Assert.DoesNotContain(value, output);
    }
}
