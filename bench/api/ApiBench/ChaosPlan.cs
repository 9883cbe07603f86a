using System.Text.Json.Nodes;

namespace Provisioning.Bench.Api;

/// <summary>
/// One round of the chaos bench: a random list of faults the back office answers in order, each consumed by one
/// request, ending either with a 202 chain or with the plain 200 after the last fault. Retry-After values stay
/// at or below the daemon's BackOffice:Retry:MaxDelay (the policy caps longer ones, by design).
/// </summary>
internal sealed record ChaosPlan(JsonArray Faults, int ExpectedRequests, string Summary)
{
    public static ChaosPlan Next(Random random)
    {
        var faults = new JsonArray();
        var kinds = new List<string>();
        int count = random.Next(2, 12);
        for (int i = 0; i < count; i++)
        {
            (JsonObject fault, string kind) = random.Next(9) switch
            {
                0 => (Fault("reset"), "reset"),
                1 => (Fault("delay", ("delayMs", 3_000)), "timeout"),
                2 => (Fault("status", ("status", 503), ("retryAfter", 1), ("delayMs", random.Next(200, 1_500))), "slow 503"),
                3 => (Fault("status", ("status", 500 + random.Next(5))), "5xx"),
                4 => (Fault("status", ("status", 503), ("retryAfter", random.Next(1, 5))), "503+RA"),
                5 => (Fault("status", ("status", 429), ("retryAfter", random.Next(1, 5))), "429+RA"),
                6 => (Fault("status", ("status", 429), ("retryAfter", random.Next(1, 5)), ("retryAfterFormat", "date")), "429+RA date"),
                7 => (Fault("malformed", ("malformed", Malformed[random.Next(Malformed.Length)])), "malformed"),
                _ => (Fault("truncated"), "truncated"),
            };
            faults.Add(fault);
            kinds.Add(kind);
        }

        int polls = 0;
        if (random.Next(3) == 0)
        {
            polls = random.Next(1, 16);
            faults.Add(Fault("accepted", ("polls", polls), ("retryAfter", 1)));
            kinds.Add($"202×{polls}");
        }

        // Every fault takes one request; then the polls of the 202 chain, or the one 200.
        int expected = faults.Count + (polls > 0 ? polls : 1);
        return new ChaosPlan(faults, expected, string.Join(' ', kinds));
    }

    private static readonly string[] Malformed = ["invalidJson", "notAnObject", "missingTokens", "badKey", "emptyTokens", "wrongId"];

    private static JsonObject Fault(string kind, params (string Name, JsonNode Value)[] members)
    {
        var fault = new JsonObject { ["kind"] = kind };
        foreach ((string name, JsonNode value) in members)
        {
            fault[name] = value;
        }

        return fault;
    }
}
