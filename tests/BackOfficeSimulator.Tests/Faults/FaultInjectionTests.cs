using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Faults;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Status_Repeated3Times_Answers503ThreeTimesThen200()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.Answer(503, repeat: 3));
        using HttpClient client = TestSimulator.Client(server);

        List<int> statuses = [];
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.ProvisionAsync();
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([503, 503, 503, 200], statuses);
        Assert.Equal(0, server.Faults.Count);
        Assert.Equal([FaultKind.Status, FaultKind.Status, FaultKind.Status, null], server.Requests.Select(r => r.Fault));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(422)]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(200)]
    public async Task Status_AnyStatus_AnswersItWithErrorBody(int status)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = status, Error = "injected", Message = "told to" });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal("injected", await response.ErrorAsync(status));
    }

    [Fact]
    public async Task Status_WithRawBody_SendsItVerbatim()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = 502, Body = "<html>bad gateway</html>" });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("<html>bad gateway</html>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RetryAfter_Seconds_SendsDeltaSeconds()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.Answer(429, retryAfter: 7));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal(["7"], response.Headers.GetValues("Retry-After"));
    }

    [Fact]
    public async Task RetryAfter_Date_IsTheFakeNowPlusSecondsRoundedUp()
    {
        var time = new FakeTimeProvider(TestSimulator.Start.AddMilliseconds(250));
        await using SimulatorServer server = await TestSimulator.StartAsync(time: time);
        server.Faults.Add(FaultSpec.Answer(503, repeat: 2, retryAfter: 30, format: RetryAfterFormat.Date));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage first = await client.ProvisionAsync();
        time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(250));
        using HttpResponseMessage second = await client.ProvisionAsync();

        Assert.Equal(TestSimulator.Start.AddSeconds(31), first.Headers.RetryAfter?.Date);
        Assert.Equal(TestSimulator.Start.AddSeconds(90), second.Headers.RetryAfter?.Date);
        Assert.Equal("Wed, 25 Nov 2026 10:01:30 GMT", second.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task Delay_OnFakeClock_AnswersOnlyAfterTheClockAdvances()
    {
        var time = new FakeTimeProvider(TestSimulator.Start);
        await using SimulatorServer server = await TestSimulator.StartAsync(time: time);
        server.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromSeconds(10)));
        using HttpClient client = TestSimulator.Client(server);

        Task<HttpResponseMessage> pending = client.ProvisionAsync();
        await server.WaitForLogAsync(log => log.Count == 1);
        using (HttpResponseMessage admin = await client.GetAsync("admin/faults"))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        Assert.False(pending.IsCompleted);
        Assert.Equal(RequestOutcome.Pending, server.Requests.Single().Outcome);
        time.Advance(TimeSpan.FromSeconds(10));
        using HttpResponseMessage response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RequestOutcome.Answered, server.Requests.Single().Outcome);
    }

    [Fact]
    public async Task Delay_ClientGivesUp_IsRecordedAsClientAborted()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromMinutes(5)));
        using HttpClient client = TestSimulator.Client(server);
        using var cancel = new CancellationTokenSource();

        Task<HttpResponseMessage> pending = client.SendAsync(TestSimulator.Provision(), cancel.Token);
        await server.WaitForLogAsync(log => log.Count == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        IReadOnlyList<RecordedRequest> log = await server.WaitForLogAsync(l => l[0].Outcome != RequestOutcome.Pending);
        Assert.Equal(RequestOutcome.ClientAborted, log[0].Outcome);
        Assert.Equal(0, log[0].Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Accepted_PolledNTimes_AnswersProvisioningOnTheNthPoll(int polls)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.AcceptedAfter(polls, retryAfter: 2));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync(body: TestSimulator.RequestBody(labels: "[\"cobalt\"]"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), accepted.Headers.RetryAfter?.Delta);
        string operation = (await accepted.JsonAsync()).GetProperty("operation").GetString()!;

        for (int i = 1; i < polls; i++)
        {
            using HttpResponseMessage stillPending = await client.GetAsync($"v1/operations/{operation}");
            Assert.Equal(HttpStatusCode.Accepted, stillPending.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), stillPending.Headers.RetryAfter?.Delta);
            Assert.Equal(operation, (await stillPending.JsonAsync()).GetProperty("operation").GetString());
        }

        using HttpResponseMessage done = await client.GetAsync($"v1/operations/{operation}");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var tokens = TestSimulator.Tokens(await done.JsonAsync());
        Assert.True(server.Devices.TryGet(TestSimulator.DeviceId, out SimulatedDevice? device));
        Assert.Equal("cobalt", Assert.Single(tokens).Label);
        Assert.Equal(device.KeysOf("cobalt"), tokens[0].Keys);
        Assert.Equal(polls, server.Requests.Count(r => r.Path == $"/v1/operations/{operation}"));
    }

    [Fact]
    public async Task Accepted_WithDateRetryAfter_SendsHttpDateOnEvery202()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.AcceptedAfter(2, retryAfter: 5, format: RetryAfterFormat.Date));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync();
        using HttpResponseMessage poll = await client.GetAsync($"v1/operations/{(await accepted.JsonAsync()).GetProperty("operation").GetString()}");

        Assert.Equal(TestSimulator.Start.AddSeconds(5), accepted.Headers.RetryAfter?.Date);
        Assert.Equal(HttpStatusCode.Accepted, poll.StatusCode);
        Assert.Equal(TestSimulator.Start.AddSeconds(5), poll.Headers.RetryAfter?.Date);
    }

    [Fact]
    public async Task Target_PollOnlyFault_SkipsProvisionRequests()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { On = FaultTarget.Poll, Status = 500 }, FaultSpec.AcceptedAfter(1));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync();
        string path = $"v1/operations/{(await accepted.JsonAsync()).GetProperty("operation").GetString()}";
        using HttpResponseMessage failedPoll = await client.GetAsync(path);
        using HttpResponseMessage poll = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failedPoll.StatusCode);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
    }

    [Fact]
    public async Task Target_DeviceFault_OnlyThatDeviceConsumesIt()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = 503, DeviceId = "WPE0000000000001" });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage other = await client.ProvisionAsync();
        using HttpResponseMessage target = await client.ProvisionAsync("WPE0000000000001");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, target.StatusCode);
    }

    [Fact]
    public async Task Forever_AppliesUntilThePlanIsCleared()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = 503, Forever = true });
        using HttpClient client = TestSimulator.Client(server);

        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await client.ProvisionAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        server.Faults.Clear();
        using HttpResponseMessage after = await client.ProvisionAsync();
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Reset_ClientSeesAnErrorAndNoAnswer()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.ResetConnection());
        using HttpClient client = TestSimulator.Client(server);

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => client.ProvisionAsync());

        Assert.True(error is HttpRequestException or IOException, error.ToString());
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal(RequestOutcome.Reset, request.Outcome);
        Assert.Equal("reset", request.Answer);
        Assert.Equal(0, request.Status);
    }

    [Fact]
    public async Task Truncated_ClientSeesHeadersThenAnErrorReadingTheBody()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.TruncatedBody());
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.SendAsync(TestSimulator.Provision(), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        long declared = response.Content.Headers.ContentLength!.Value;
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());

        Assert.True(error is HttpRequestException or IOException, error.ToString());
        Assert.True(declared > 100);
        RecordedRequest request = (await server.WaitForLogAsync(l => l[0].Outcome != RequestOutcome.Pending))[0];
        Assert.Equal(RequestOutcome.Truncated, request.Outcome);
        Assert.Equal("truncated", request.Answer);
    }

    [Fact]
    public async Task Truncated_BufferedRead_ThrowsHttpRequestException()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.TruncatedBody());
        using HttpClient client = TestSimulator.Client(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ProvisionAsync());
    }

    [Theory]
    [InlineData(nameof(MalformedKind.InvalidJson))]
    [InlineData(nameof(MalformedKind.NotAnObject))]
    [InlineData(nameof(MalformedKind.WrongId))]
    [InlineData(nameof(MalformedKind.EmptyTokens))]
    [InlineData(nameof(MalformedKind.MissingTokens))]
    [InlineData(nameof(MalformedKind.BadKey))]
    [InlineData(nameof(MalformedKind.BadLabel))]
    [InlineData(nameof(MalformedKind.DuplicateLabel))]
    [InlineData(nameof(MalformedKind.TooManyKeys))]
    [InlineData(nameof(MalformedKind.ExpiresBeforeIssued))]
    public async Task Malformed_Answers200WithABodyBrokenInThatWay(string name)
    {
        MalformedKind kind = Enum.Parse<MalformedKind>(name);
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.MalformedBody(kind));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(kind.ToString(), ProblemOf(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Malformed_OnPoll_SpoilsTheCompletingAnswer()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.AcceptedAfter(1), FaultSpec.MalformedBody(MalformedKind.WrongId) with { On = FaultTarget.Poll });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync();
        string path = $"v1/operations/{(await accepted.JsonAsync()).GetProperty("operation").GetString()}";
        using HttpResponseMessage spoiled = await client.GetAsync(path);
        using HttpResponseMessage good = await client.GetAsync(path);

        Assert.Equal("WrongId", ProblemOf(await spoiled.Content.ReadAsStringAsync()));
        Assert.Equal("valid", ProblemOf(await good.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task InitialPlan_FromOptions_IsConsumedInOrder()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.Faults = [FaultSpec.Answer(500), FaultSpec.Answer(429)]);
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage first = await client.ProvisionAsync();
        using HttpResponseMessage second = await client.ProvisionAsync();
        using HttpResponseMessage third = await client.ProvisionAsync();

        Assert.Equal([500, 429, 200], new[] { first, second, third }.Select(r => (int)r.StatusCode));
    }

    [Fact]
    public void Add_InvalidFault_ThrowsNamingEveryProblemAndAddsNothing()
    {
        var plan = new FaultPlan();

        var error = Assert.Throws<ArgumentException>(() => plan.Add(
            FaultSpec.Answer(503),
            new FaultSpec { Status = 99, Repeat = 0, DelayMs = -1 }));

        Assert.Contains("Faults[1].Status", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faults[1].Repeat", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faults[1].DelayMs", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, plan.Count);
    }

    /// <summary>Checks a body the way backoffice-protocol.md defines a valid Provisioning; names the first problem.</summary>
    private static string ProblemOf(string text)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return nameof(MalformedKind.InvalidJson);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return nameof(MalformedKind.NotAnObject);
        }

        if (root.GetProperty("id").GetString() != TestSimulator.DeviceId)
        {
            return nameof(MalformedKind.WrongId);
        }

        if (!root.TryGetProperty("tokens", out JsonElement tokens))
        {
            return nameof(MalformedKind.MissingTokens);
        }

        if (tokens.GetArrayLength() == 0)
        {
            return nameof(MalformedKind.EmptyTokens);
        }

        DateTimeOffset issued = root.GetProperty("issued").GetDateTimeOffset();
        if (root.TryGetProperty("expires", out JsonElement expires) && expires.GetDateTimeOffset() <= issued)
        {
            return nameof(MalformedKind.ExpiresBeforeIssued);
        }

        HashSet<string> labels = [];
        foreach (JsonElement token in tokens.EnumerateArray())
        {
            string label = token.GetProperty("label").GetString()!;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return nameof(MalformedKind.BadLabel);
            }

            if (!labels.Add(label))
            {
                return nameof(MalformedKind.DuplicateLabel);
            }

            if (token.GetProperty("keys").GetArrayLength() > 16)
            {
                return nameof(MalformedKind.TooManyKeys);
            }

            foreach (JsonElement key in token.GetProperty("keys").EnumerateArray())
            {
                if (!key.TryGetBytesFromBase64(out _))
                {
                    return nameof(MalformedKind.BadKey);
                }
            }
        }

        return "valid";
    }
}
