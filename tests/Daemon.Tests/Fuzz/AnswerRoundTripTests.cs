using System.Globalization;
using System.Net;
using System.Text.Json;
using CsCheck;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>
/// The back office's writer (the simulator's own serialization) against the daemon's answer reader: any valid
/// provisioning arrives exactly, and Retry-After in either form is the wait it says.
/// </summary>
public sealed class AnswerRoundTripTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnyProvisioning_AsTheSimulatorWritesIt_IsReadExactly()
    {
        Documents.Document.Sample(
            document =>
            {
                var body = new ProvisioningBody(
                    document.Id,
                    document.Issued.UtcDateTime,
                    document.Expires?.UtcDateTime,
                    [.. document.Labels.Select(l => new TokenBody(l.Label, l.Keys))]);
                using var response = new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, SimulatorJson.Context.ProvisioningBody)),
                };

                // Read when it was issued, or at the moment it expires: valid the first time, refused the second.
                DateTimeOffset readAt = document.Expires is { } expires && document.Labels[0].Label.Length % 2 == 0 ? expires : document.Issued;
                Answer answer = AnswerReader.ReadAsync(response, Documents.DeviceId, deviceToken: null, new BackOfficeOptions().MaxResponseBytes, readAt, CancellationToken.None).GetAwaiter().GetResult();

                if (readAt == document.Expires)
                {
                    Assert.Equal(AnswerKind.Malformed, answer.Kind);
                    Assert.EndsWith("is already past", answer.Reason, StringComparison.Ordinal);
                    return;
                }

                Assert.Equal(AnswerKind.Provisioned, answer.Kind);
                Assert.True(Documents.Same(document, answer.Document));
            },
            seed: Seeds.Readers,
            iter: 500);
    }

    [Fact]
    public void AnyRetryAfter_DeltaSecondsOrHttpDate_IsTheWaitItSays()
    {
        Gen.Select(Gen.Int[0, 100_000_000], Gen.Int[-100_000, 100_000], Gen.Int[0, 2]).Sample(
            (seconds, offset, form) =>
            {
                using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                TimeSpan expected;
                if (form == 0)
                {
                    response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
                    expected = TimeSpan.FromSeconds(seconds);
                }
                else
                {
                    response.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(offset).ToString("R", CultureInfo.InvariantCulture));
                    expected = offset > 0 ? TimeSpan.FromSeconds(offset) : TimeSpan.Zero;
                }

                Answer answer = AnswerReader.ReadAsync(response, Documents.DeviceId, deviceToken: null, 1024, Now, CancellationToken.None).GetAwaiter().GetResult();

                Assert.Equal(AnswerKind.Transient, answer.Kind);
                Assert.Equal(expected, answer.RetryAfter);
            },
            seed: Seeds.Readers,
            iter: 2_000);
    }
}
