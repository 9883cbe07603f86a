using System.Net;
using System.Text.Json;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Faults;

/// <summary>200 answers that are not a valid Provisioning.</summary>
public sealed class MalformedFaultTests
{
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

    /// <summary>Checks a body the way docs/backoffice-protocol.md defines a valid Provisioning; names the first problem.</summary>
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
