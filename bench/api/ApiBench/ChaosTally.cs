using System.Text.Json;
using Provisioning.Contracts.V1;

namespace Provisioning.Bench.Api;

/// <summary>What the chaos rounds counted and every problem they found.</summary>
internal sealed class ChaosTally
{
    public int Runs { get; set; }

    public int FlapRuns { get; set; }

    public int Provisioned { get; private set; }

    public int Faults { get; set; }

    public int Requests { get; set; }

    public int ExpectedRequests { get; set; }

    /// <summary>The most attempts of one run against the flapping back office, and the policy's bound for that run.</summary>
    public (int Attempts, int Bound) MostFlapAttempts { get; set; }

    /// <summary>Runs against the flapping back office that made more attempts than the policy allows.</summary>
    public int FlapRunsOverBound { get; set; }

    public int RetryAfterChecked { get; private set; }

    public int RetryAfterEarly { get; private set; }

    public TimeSpan SmallestMargin { get; private set; } = TimeSpan.MaxValue;

    public List<string> Problems { get; } = [];

    public void CheckEnd(State end, string run)
    {
        if (end.Status == 200)
        {
            Provisioned++;
        }
        else
        {
            Problems.Add($"{run} ended with status {end.Status}");
        }
    }

    /// <summary>Each request that follows an answer with Retry-After came no earlier than it allowed.</summary>
    public void CheckRetryAfter(IReadOnlyList<JsonElement> requests)
    {
        for (int i = 0; i + 1 < requests.Count; i++)
        {
            if (!requests[i].TryGetProperty("notBefore", out JsonElement notBefore) || notBefore.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            TimeSpan margin = requests[i + 1].GetProperty("time").GetDateTimeOffset() - notBefore.GetDateTimeOffset();
            RetryAfterChecked++;
            SmallestMargin = margin < SmallestMargin ? margin : SmallestMargin;
            if (margin < TimeSpan.Zero)
            {
                RetryAfterEarly++;
                Problems.Add($"request {requests[i + 1].GetProperty("sequence")} came {-margin.TotalMilliseconds:F0} ms before its Retry-After allowed");
            }
        }
    }
}
