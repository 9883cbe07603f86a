using System.Text.Json;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Tests.Infrastructure;
using static Provisioning.Daemon.Tests.BackOffice.ScriptedBackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeClientAnswerTests
{
    [Fact]
    public async Task RunAsync_ValidProvisioning_ReturnsTheDecodedDocument()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Ok(ProvisioningJson.Valid()));

        var outcome = Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal(200, outcome.Status);
        Assert.Equal(ProvisioningJson.DeviceId, outcome.Document.Id);
        Assert.Equal(new DateTimeOffset(2027, 11, 25, 10, 0, 0, TimeSpan.Zero), outcome.Document.Expires);
        Assert.Equal(["netflix", "playready"], outcome.Document.SortedLabels());
        Assert.Equal([[1, 2, 3]], outcome.Document.Find("netflix")!.Keys);
        Assert.Equal([[4, 5, 6], [7, 8, 9]], outcome.Document.Find("playready")!.Keys);
    }

    [Fact]
    public async Task RunAsync_AcceptedWithRetryAfterShorterThanThePollInterval_PollsAfterTheRetryAfter()
    {
        using var harness = new ClientHarness(o => o.DefaultPollInterval = TimeSpan.FromSeconds(2));
        harness.BackOffice.Then(Accepted("op-7", retryAfter: "1")).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());
        Assert.Equal([TimeSpan.FromSeconds(1) + RetryDelays.TimerSlack], harness.Gaps());
    }

    [Fact]
    public async Task RunAsync_Accepted_PollsTheOperationAfterRetryAfterUntilDone()
    {
        using var harness = new ClientHarness(o => o.DefaultPollInterval = TimeSpan.FromSeconds(2));
        harness.BackOffice.Then(Accepted("op-7", retryAfter: "3")).Then(Accepted("op-7")).Then(Ok(ProvisioningJson.Valid()));

        RunOutcome outcome = await harness.RunAsync();

        Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(
            ["POST /v1/devices/WPE00000uCfrLF45/provision", "GET /v1/operations/op-7", "GET /v1/operations/op-7"],
            harness.BackOffice.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal([TimeSpan.FromSeconds(3) + RetryDelays.TimerSlack, TimeSpan.FromSeconds(2)], harness.Gaps());
        RunProgress[] accepted = [.. harness.Progress.Where(p => p.Kind == RunProgressKind.Accepted)];
        Assert.Equal([202, 202], accepted.Select(p => p.Status));
        Assert.All(accepted, p => Assert.Equal(1, p.Attempt));
        Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptStarted);
    }

    [Fact]
    public async Task RunAsync_PollFailsTransiently_PollsAgainAfterBackoff()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Accepted("op-1", retryAfter: "1")).Then(Status(503)).Then(Ok(ProvisioningJson.Valid()));

        RunOutcome outcome = await harness.RunAsync();

        Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(["POST", "GET", "GET"], harness.BackOffice.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task RunAsync_PollAnswersNotFound_RejectsTheRun()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Accepted("op-1")).Then(Status(404, body: """{"error":"not_found","message":"no such operation"}"""));

        var outcome = Assert.IsType<RunOutcome.Rejected>(await harness.RunAsync());

        Assert.Equal(404, outcome.Status);
        Assert.Equal(2, harness.BackOffice.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(422)]
    [InlineData(418)]
    [InlineData(302)]
    public async Task RunAsync_PermanentStatus_EndsTheRunWithThatStatusAndNoRetry(int status)
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Status(status, body: """{"error":"denied","message":"device is blocked"}"""));
        harness.BackOffice.Otherwise = Ok(ProvisioningJson.Valid());

        var outcome = Assert.IsType<RunOutcome.Rejected>(await harness.RunAsync());

        Assert.Equal(status, outcome.Status);
        Assert.Contains("denied: device is blocked", outcome.Reason, StringComparison.Ordinal);
        Assert.Single(harness.BackOffice.Requests);
        Assert.DoesNotContain(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed);
    }

    [Fact]
    public async Task RunAsync_AnswerStartingWithAByteOrderMark_IsRead()
    {
        using var harness = new ClientHarness();
        byte[] body = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(ProvisioningJson.Valid())];
        harness.BackOffice.Then(Content(new ByteArrayContent(body)));

        var outcome = Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal(ProvisioningJson.DeviceId, outcome.Document.Id);
        Assert.Single(harness.BackOffice.Requests);
    }

    [Fact]
    public async Task RunAsync_ErrorMessageWithInvisibleOrLineBreakingCharacters_IsOneVisibleLine()
    {
        using var harness = new ClientHarness();
        // Bidirectional override, line and paragraph separators, zero-width space, NEL.
        harness.BackOffice.Then(Status(403, body: """{"error":"denied","message":"device\u202eabc\u2028forged\u2029x\u200by\u0085z!"}"""));

        var outcome = Assert.IsType<RunOutcome.Rejected>(await harness.RunAsync());

        Assert.Equal("HTTP 403 denied: device abc forged x y z!", outcome.Reason);
    }

    [Fact]
    public async Task RunAsync_ErrorMessageQuotingTheDeviceToken_IsLoggedWithoutIt()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("token"), "tok-ROTATED-456\n");
        using var harness = new ClientHarness(o => o.TokenFile = temp.Combine("token"));
        harness.BackOffice.Then(Status(401, body: """{"error":"unauthorized","message":"token tok-ROTATED-456 expired"}"""));

        var outcome = Assert.IsType<RunOutcome.Rejected>(await harness.RunAsync());

        Assert.Equal("HTTP 401 unauthorized: token [device token] expired", outcome.Reason);
    }

    [Theory]
    [InlineData("not-json")]
    [InlineData("truncated")]
    [InlineData("null")]
    [InlineData("wrong-id")]
    [InlineData("no-issued")]
    [InlineData("empty-tokens")]
    [InlineData("bad-base64")]
    [InlineData("bad-label")]
    [InlineData("duplicate-label")]
    [InlineData("no-keys")]
    [InlineData("expired-before-issued")]
    [InlineData("65-labels")]
    [InlineData("17-keys")]
    [InlineData("already-expired")]
    public async Task RunAsync_MalformedOk_IsRetriedAndNeverReturnedAsProvisioned(string kind)
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Ok(ProvisioningJson.Malformed(kind))).Then(Ok(ProvisioningJson.Valid()));

        var outcome = Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal(ProvisioningJson.DeviceId, outcome.Document.Id);
        Assert.Equal(2, harness.BackOffice.Requests.Count);
        RunProgress failure = Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed);
        Assert.Equal(200, failure.Status);
    }

    [Theory]
    [InlineData(65, 1, "invalid Provisioning: tokens has more than 64 labels")]
    [InlineData(200_000, 1, "invalid Provisioning: tokens has more than 64 labels")]
    [InlineData(1, 17, "invalid Provisioning: a label has more than 16 keys")]
    [InlineData(1, 1_000_000, "invalid Provisioning: a label has more than 16 keys")]
    public async Task RunAsync_MoreLabelsOrKeysThanTheProtocolAllows_IsMalformedAndSaysWhich(int labels, int keysEach, string reason)
    {
        using var harness = new ClientHarness(o => o.MaxResponseBytes = 16 * 1024 * 1024);
        harness.BackOffice.Then(Ok(ProvisioningJson.WithLabels(labels, keysEach))).Then(Ok(ProvisioningJson.WithLabels(64, keysEach: 16)));

        var outcome = Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal(64, outcome.Document.Labels.Count);
        Assert.All(outcome.Document.Labels, label => Assert.Equal(16, label.Keys.Count));
        Assert.Equal(reason, Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed).Reason);
    }

    [Fact]
    public async Task RunAsync_OnlyAcceptedUntilTheBudgetIsSpent_GivesUpSayingTheOperationWasStillRunning()
    {
        using var harness = new ClientHarness(o => o.RunBudget = TimeSpan.FromMinutes(1));
        harness.BackOffice.Otherwise = Accepted("op-7", retryAfter: "5");

        var outcome = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.EndsWith("last failure: operation op-7 was still running at the back office", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OnlyMalformedAnswers_GivesUpWhenTheBudgetIsSpent()
    {
        using var harness = new ClientHarness(o => o.RunBudget = TimeSpan.FromMinutes(2));
        harness.BackOffice.Otherwise = Ok(ProvisioningJson.Malformed("wrong-id"));

        var outcome = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.Contains("invalid Provisioning", outcome.Reason, StringComparison.Ordinal);
        Assert.True(harness.BackOffice.Requests.Count > 2);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"operation":""}""")]
    [InlineData("""{"operation":"../../v1/devices/x"}""")]
    [InlineData("""{"operation":"."}""")] // a URL's path would lose it: the poll would go to /v1/operations/
    [InlineData("""{"operation":".."}""")] // ... or to /v1/
    [InlineData("not json")]
    public async Task RunAsync_AcceptedWithoutUsableOperation_IsRetriedAsMalformed(string body)
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Status(202, body: body)).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal(["POST", "POST"], harness.BackOffice.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task RunAsync_EveryRequest_CarriesTheRunsIdempotencyKeyAndTheProtocolHeaders()
    {
        string tokenFile = Path.Combine(Path.GetTempPath(), "provisioningd-tests", Guid.NewGuid().ToString("N"), "token");
        Directory.CreateDirectory(Path.GetDirectoryName(tokenFile)!);
        await File.WriteAllTextAsync(tokenFile, "device-token-123\n");
        try
        {
            using var harness = new ClientHarness(o =>
            {
                o.TokenFile = tokenFile;
                o.Labels.Add("netflix");
                o.Labels.Add("playready");
            });
            harness.BackOffice.Then(Status(503)).Then(Reset()).Then(Status(429, retryAfter: "1")).Then(Accepted("op-9", "1"))
                .Then(Status(500)).Then(Ok(ProvisioningJson.Valid()));

            Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

            IReadOnlyList<RecordedRequest> requests = harness.BackOffice.Requests;
            Assert.Equal(6, requests.Count);
            Assert.All(requests, r =>
            {
                Assert.Equal(harness.IdempotencyKey.ToString("D"), r.IdempotencyKey);
                Assert.Equal("provisioningd/0.1.0", r.UserAgent);
                Assert.Equal("application/json", r.Accept);
                Assert.Equal("Bearer device-token-123", r.Authorization);
            });
            RecordedRequest[] posts = [.. requests.Where(r => r.Method == "POST")];
            Assert.Equal(4, posts.Length);
            Assert.All(posts, p => Assert.Equal("application/json", p.ContentType));
            using JsonDocument body = JsonDocument.Parse(posts[0].Body!);
            Assert.Equal(ProvisioningJson.DeviceId, body.RootElement.GetProperty("id").GetString());
            Assert.Equal("stb-x1", body.RootElement.GetProperty("model").GetString());
            Assert.Equal("2.4.1", body.RootElement.GetProperty("firmware").GetString());
            Assert.Equal(["netflix", "playready"], body.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(tokenFile)!, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_NoLabelsConfigured_OmitsLabelsAndAuthorization()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        RecordedRequest post = Assert.Single(harness.BackOffice.Requests);
        using JsonDocument body = JsonDocument.Parse(post.Body!);
        Assert.False(body.RootElement.TryGetProperty("labels", out _));
        Assert.Null(post.Authorization);
    }

    [Fact]
    public async Task RunAsync_BaseUrlWithPath_KeepsThePath()
    {
        using var harness = new ClientHarness(o => o.Url = new Uri("http://127.0.0.1:9/api/backoffice"));
        harness.BackOffice.Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        Assert.Equal("/api/backoffice/v1/devices/WPE00000uCfrLF45/provision", Assert.Single(harness.BackOffice.Requests).Path);
    }
}
