using System.Net;
using System.Text;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Fuzz;

/// <summary>
/// An HTTP answer of the back office through <see cref="AnswerReader"/>. The first byte chooses the status, the
/// second the Retry-After header (none, delta-seconds, an HTTP-date, or the bytes up to the first newline as the raw
/// header), the rest is the body. The reader must never throw, classify by status as the protocol's table says,
/// accept only a valid provisioning of this device, and give a reason that is short and printable.
/// </summary>
public sealed class BackOfficeAnswerTarget : FuzzTarget
{
    public const string DeviceId = "WPE00000uCfrLF45";

    /// <summary>The statuses the first byte chooses from: each class of the protocol's table and a few odd ones.</summary>
    public static readonly int[] Statuses = [200, 202, 400, 401, 404, 409, 410, 422, 302, 408, 425, 429, 500, 503, 204, 299, 100, 600, 999];

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly int MaxResponseBytes = new BackOfficeOptions().MaxResponseBytes;

    public override string Name => "answer";

    protected override bool Feed(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return false;
        }

        int status = Statuses[input[0] % Statuses.Length];
        ReadOnlySpan<byte> body = input[2..];
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        switch (input[1] % 4)
        {
            case 1:
                response.Headers.TryAddWithoutValidation("Retry-After", (input[1] * 7).ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case 2:
                response.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(input[1] - 128).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case 3:
                int newline = body.IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    response.Headers.TryAddWithoutValidation("Retry-After", Encoding.Latin1.GetString(body[..newline]));
                    body = body[(newline + 1)..];
                }

                break;
        }

        response.Content = new ByteArrayContent(body.ToArray());
        Answer answer = AnswerReader.ReadAsync(response, DeviceId, deviceToken: null, MaxResponseBytes, Now, CancellationToken.None).GetAwaiter().GetResult();
        Check(answer, status);
        return answer.Kind is AnswerKind.Provisioned or AnswerKind.Accepted;
    }

    private static void Check(Answer answer, int status)
    {
        AnswerKind byStatus = StatusClasses.Classify(status);
        FuzzFindingException.Check(answer.Status == status, $"status {answer.Status} for an answer with {status}");
        FuzzFindingException.Check(
            answer.Kind == byStatus || (answer.Kind == AnswerKind.Malformed && byStatus is AnswerKind.Provisioned or AnswerKind.Accepted),
            $"{answer.Kind} for status {status}");
        FuzzFindingException.Check(answer.RetryAfter is null || answer.RetryAfter >= TimeSpan.Zero, $"a negative Retry-After {answer.RetryAfter}");
        FuzzFindingException.Check(answer.Reason.Length is > 0 and <= 300 && !answer.Reason.Any(char.IsControl), $"the reason is not one short printable line: {answer.Reason}");
        FuzzFindingException.Check((answer.Document is not null) == (answer.Kind == AnswerKind.Provisioned), $"{answer.Kind} with document {answer.Document is not null}");
        if (answer.Document is { } document)
        {
            FuzzFindingException.Check(ProvisioningRules.Validate(document, DeviceId) is null, "an invalid provisioning was accepted: " + ProvisioningRules.Validate(document, DeviceId));
        }

        FuzzFindingException.Check((answer.Operation is not null) == (answer.Kind == AnswerKind.Accepted), $"{answer.Kind} with operation {answer.Operation}");
        if (answer.Operation is { } operation)
        {
            FuzzFindingException.Check(
                operation.Length is > 0 and <= 256 && operation.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~'),
                $"an operation unsafe for a URL path was accepted: {operation}");
        }
    }
}
