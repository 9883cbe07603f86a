using System.Text.Json;

namespace Provisioning.BackOfficeSimulator;

/// <summary>The 400 checks of a provision request: URL, Idempotency-Key, Content-Type, body.</summary>
internal static class ProvisionRequestValidator
{
    /// <summary>Checks everything about the request itself; answers 400 and returns null when something is wrong.</summary>
    public static async Task<ProvisionRequestBody?> ValidateAsync(HttpContext context, string id, string text)
    {
        string? problem = null;
        ProvisionRequestBody? body = null;
        string key = context.Request.Headers["Idempotency-Key"].ToString();
        if (!ProtocolRules.IsValidProvisionId(id))
        {
            problem = "The URL does not hold a provision ID (WPE and 13 base62 characters).";
        }
        else if (key.Length == 0)
        {
            problem = "The Idempotency-Key header is missing.";
        }
        else if (!Guid.TryParse(key, out _))
        {
            problem = "The Idempotency-Key header is not a UUID.";
        }
        else if (!context.Request.HasJsonContentType())
        {
            problem = "Content-Type must be application/json.";
        }
        else
        {
            try
            {
                body = JsonSerializer.Deserialize(text, SimulatorJson.Context.ProvisionRequestBody);
            }
            catch (JsonException ex)
            {
                problem = $"The body is not a provision request: {ex.Message}";
            }

            problem ??= body switch
            {
                null => "The body is not a JSON object.",
                { Id: null } => "The body lacks \"id\".",
                { Id: var bodyId } when !string.Equals(bodyId, id, StringComparison.Ordinal) => "\"id\" does not match the provision ID of the URL.",
                { Labels: { } labels } when labels.Any(l => !ProtocolRules.IsValidLabel(l)) => "A label is not 1-64 characters of [A-Za-z0-9._-].",
                _ => null,
            };
        }

        if (problem is null)
        {
            return body;
        }

        await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", problem);
        return null;
    }
}
